using Xunit;

namespace Coordinator.Tests.Integration.V2;

/// <summary>v2 auth is replicated state: a change made through one member is enforced by every other, reaches a
/// member that was down through a snapshot, survives restarts of every member, and is kept in backups.</summary>
[Trait("Category", "Integration")]
public sealed class V2AuthPersistenceTests : IDisposable
{
    private const string Root = "root:rootpw";
    private const string Bob = "bob:bobpw";
    private readonly List<TestCluster> _clusters = [];
    private readonly V2Curl _curl = new();

    public void Dispose()
    {
        _curl.Dispose();
        foreach (var c in _clusters) c.Dispose();
    }

    private string Output => string.Join("\n---\n", _clusters.SelectMany(c => c.Members).Select(m => m.Name + ":\n" + m.Output));

    private TestCluster NewCluster(int size, params string[] args)
    {
        var c = new TestCluster(size, args);
        _clusters.Add(c);
        return c;
    }

    private Task<V2Response> Send(string url, string method, string path, string? user = null, string? body = null, string? contentType = null) =>
        _curl.SendAsync(method, url + path, body, body is null ? null : contentType ?? "application/json",
            authorization: user is null ? null : V2Curl.Basic(user));

    /// <summary>Root, bob with role reader (read /pub/*, write /pub/w), auth enabled, the guest role emptied.</summary>
    private async Task ConfigureAsync(string url)
    {
        void Ok(V2Response r) => Assert.True(r.Status is 200 or 201, $"{r}\n{Output}");
        Ok(await Send(url, "PUT", "/v2/keys/pub/a", body: "value=1", contentType: "application/x-www-form-urlencoded"));
        Ok(await Send(url, "PUT", "/v2/keys/secret", body: "value=s", contentType: "application/x-www-form-urlencoded"));
        Ok(await Send(url, "PUT", "/v2/auth/users/root", body: """{"user":"root","password":"rootpw"}"""));
        Ok(await Send(url, "PUT", "/v2/auth/roles/reader", body: """{"role":"reader","permissions":{"kv":{"read":["/pub/*"],"write":["/pub/w"]}}}"""));
        Ok(await Send(url, "PUT", "/v2/auth/users/bob", body: """{"user":"bob","password":"bobpw","roles":["reader"]}"""));
        Ok(await Send(url, "PUT", "/v2/auth/enable"));
        Ok(await Send(url, "PUT", "/v2/auth/roles/guest", Root, """{"role":"guest","revoke":{"kv":{"read":["/*"],"write":["/*"]}}}"""));
    }

    /// <summary>What a member allows: guest read, bob read, bob write outside and inside his pattern, root read,
    /// bob listing users; and the users as root sees them.</summary>
    private async Task<string> AccessAsync(string url)
    {
        try
        {
            var statuses = new[]
            {
                (await Send(url, "GET", "/v2/keys/pub/a")).Status,
                (await Send(url, "GET", "/v2/keys/pub/a", Bob)).Status,
                (await Send(url, "PUT", "/v2/keys/pub/a", Bob, "value=x", "application/x-www-form-urlencoded")).Status,
                (await Send(url, "PUT", "/v2/keys/pub/w", Bob, "value=w", "application/x-www-form-urlencoded")).Status,
                (await Send(url, "GET", "/v2/keys/secret", Root)).Status,
                (await Send(url, "GET", "/v2/auth/users", Bob)).Status,
            };
            return string.Join(",", statuses) + " " + (await Send(url, "GET", "/v2/auth/users", Root)).Body.Trim();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return e.Message; }
    }

    private const string Expected = """401,200,401,200,200,401 {"users":[{"user":"bob","roles":[{"role":"reader","permissions":{"kv":{"read":["/pub/*"],"write":["/pub/w"]}}}]},{"user":"root","roles":[{"role":"root","permissions":{"kv":{"read":["/*"],"write":["/*"]}}}]}]}""";

    private async Task EventuallyAsync(string url)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string seen;
        while ((seen = await AccessAsync(url)) != Expected && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.Equal(Expected, seen);
    }

    [Fact]
    public async Task A_change_through_one_member_is_enforced_on_the_others_reaches_a_lagging_one_by_snapshot_and_survives_restarts()
    {
        var cluster = NewCluster(3, "--snapshot-count", "20");
        await cluster.StartPublishedAsync();
        var leader = await cluster.WaitForLeaderAsync();
        var follower = cluster.Members.First(m => m != leader);
        var lagging = cluster.Members.Last(m => m != leader);
        lagging.Kill();

        await ConfigureAsync(follower.ClientUrl);
        await EventuallyAsync(leader.ClientUrl);
        await EventuallyAsync(follower.ClientUrl);

        // Far behind a compacted log, the lagging member catches up by snapshot, auth included.
        for (var i = 0; i < 60; i++)
            Assert.Equal(200, (await Send(leader.ClientUrl, "PUT", $"/v2/keys/pub/w", Bob, $"value={i}", "application/x-www-form-urlencoded")).Status);
        lagging.Start();
        await EventuallyAsync(lagging.ClientUrl);
        Assert.Contains("Received snapshot", lagging.Output);

        foreach (var m in cluster.Members) m.Kill();
        foreach (var m in cluster.Members) m.Start();
        await cluster.WaitForLeaderAsync();
        foreach (var m in cluster.Members) await EventuallyAsync(m.ClientUrl);
        Assert.Equal("{\"enabled\":true}\n", (await Send(lagging.ClientUrl, "GET", "/v2/auth/enable")).Body);
    }

    [Fact]
    public async Task A_backup_keeps_v2_auth()
    {
        var source = NewCluster(1);
        await source.StartPublishedAsync();
        var url = source.Members[0].ClientUrl;
        await ConfigureAsync(url);
        await EventuallyAsync(url);
        var file = Path.Combine(source.Root, "backup.snap");
        var save = await Etcdctl.RunAsync(source.Endpoints, "snapshot", "save", file);
        Assert.True(save.ExitCode == 0, save.ToString());

        var restored = NewCluster(1);
        var m = restored.Members[0];
        var r = await RunCoordinatorAsync("snapshot", "restore", file, "--name", m.Name, "--data-dir", m.DataDir,
            "--initial-cluster", $"{m.Name}={m.PeerUrl}", "--initial-advertise-peer-urls", m.PeerUrl, "--initial-cluster-token", restored.Token);
        Assert.True(r.Exit == 0, r.Output);
        await restored.StartPublishedAsync();
        await EventuallyAsync(m.ClientUrl);
    }

    private static async Task<(int Exit, string Output)> RunCoordinatorAsync(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(RepoPaths.CoordinatorDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var err = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await o + await err);
    }
}
