using System.Text.Json;
using Xunit;

namespace Coordinator.Tests.Integration.V2;

/// <summary>The v2 store is replicated state: the same index and expiry on every member, carried by snapshots to a
/// member that fell behind, kept across restarts, and in backups taken with etcdctl snapshot save.</summary>
[Trait("Category", "Integration")]
public sealed class V2PersistenceTests : IDisposable
{
    private readonly List<TestCluster> _clusters = [];
    private readonly V2Curl _curl = new();

    public void Dispose()
    {
        _curl.Dispose();
        foreach (var c in _clusters) c.Dispose();
    }

    private TestCluster NewCluster(int size, params string[] args)
    {
        var c = new TestCluster(size, args);
        _clusters.Add(c);
        return c;
    }

    /// <summary>The whole tree, with the remaining "ttl" (which depends on when it is read) masked.</summary>
    private async Task<string> TreeAsync(string url) =>
        System.Text.RegularExpressions.Regex.Replace((await _curl.GetAsync(url + "/v2/keys/?recursive=true&sorted=true")).Body, "\"ttl\":\\d+", "\"ttl\":T");

    [Fact]
    public async Task Expiry_happens_at_the_same_index_on_every_member_and_snapshots_carry_the_store()
    {
        var cluster = NewCluster(3, "--snapshot-count", "20");
        await cluster.StartPublishedAsync();
        var leader = await cluster.WaitForLeaderAsync();
        var lagging = cluster.Members.First(m => m != leader);
        var url = leader.ClientUrl;

        var set = (await _curl.PutAsync(url + "/v2/keys/ttl/soon", "value=x&ttl=1")).Json.GetProperty("node").GetProperty("modifiedIndex").GetUInt64();
        await Task.Delay(2500);
        var expiredAt = new List<(string Action, ulong Index)>();
        foreach (var m in cluster.Members)
        {
            var e = (await _curl.GetAsync(m.ClientUrl + $"/v2/keys/ttl/soon?wait=true&waitIndex={set + 1}")).Json;
            expiredAt.Add((e.GetProperty("action").GetString()!, e.GetProperty("node").GetProperty("modifiedIndex").GetUInt64()));
        }
        Assert.All(expiredAt, e => Assert.Equal(expiredAt[0], e));
        Assert.Equal("expire", expiredAt[0].Action);

        lagging.Kill();
        for (var i = 0; i < 80; i++) await _curl.PutAsync(url + $"/v2/keys/dir{i % 4}/k{i}", $"value=v{i}");
        await _curl.PutAsync(url + "/v2/keys/long", "value=kept&ttl=600");
        await _curl.SendAsync("DELETE", url + "/v2/keys/dir3?recursive=true");
        var expected = await TreeAsync(url);
        var expectedIndex = (await _curl.GetAsync(url + "/v2/keys/")).Header("X-Etcd-Index");

        lagging.Start(); // far behind a compacted log: it catches up by snapshot
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && await Safe(() => TreeAsync(lagging.ClientUrl)) != expected) await Task.Delay(200);
        Assert.Equal(expected, await TreeAsync(lagging.ClientUrl));
        Assert.Contains("Received snapshot", lagging.Output);
        Assert.Equal(expectedIndex, (await _curl.GetAsync(lagging.ClientUrl + "/v2/keys/")).Header("X-Etcd-Index"));
        // The history came with the snapshot: a watch from an old index is answered there too.
        var old = await _curl.GetAsync(lagging.ClientUrl + $"/v2/keys/dir0/k0?wait=true&waitIndex={set}");
        Assert.Equal("v0", old.Json.GetProperty("node").GetProperty("value").GetString());

        // Every member restarts from its snapshot and log.
        foreach (var m in cluster.Members) m.Kill();
        foreach (var m in cluster.Members) m.Start();
        await cluster.WaitForLeaderAsync();
        foreach (var m in cluster.Members)
        {
            deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline && await Safe(() => TreeAsync(m.ClientUrl)) != expected) await Task.Delay(200);
            Assert.Equal(expected, await TreeAsync(m.ClientUrl));
        }
    }

    [Fact]
    public async Task A_backup_keeps_the_v2_store()
    {
        var source = NewCluster(1);
        await source.StartPublishedAsync();
        var url = source.Members[0].ClientUrl;
        await _curl.PutAsync(url + "/v2/keys/app/config", "value=on");
        await _curl.SendAsync("POST", url + "/v2/keys/app/queue", "value=job");
        var expected = await TreeAsync(url);
        var file = Path.Combine(source.Root, "backup.snap");
        var save = await Etcdctl.RunAsync(source.Endpoints, "snapshot", "save", file);
        Assert.True(save.ExitCode == 0, save.ToString());

        var restored = NewCluster(1);
        var m = restored.Members[0];
        var r = await RunCoordinatorAsync("snapshot", "restore", file, "--name", m.Name, "--data-dir", m.DataDir,
            "--initial-cluster", $"{m.Name}={m.PeerUrl}", "--initial-advertise-peer-urls", m.PeerUrl, "--initial-cluster-token", restored.Token);
        Assert.True(r.Exit == 0, r.Output);
        await restored.StartPublishedAsync();
        Assert.Equal(expected, await TreeAsync(m.ClientUrl));
        Assert.Equal(201, (await _curl.PutAsync(m.ClientUrl + "/v2/keys/after", "value=1")).Status);
    }

    private static async Task<string> Safe(Func<Task<string>> read)
    {
        try { return await read(); }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException) { return ""; }
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
