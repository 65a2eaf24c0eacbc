using Xunit;

namespace Coordinator.Tests.Integration.V2;

/// <summary>etcdctl's v2 member commands and cluster-health on a 3-member cluster: add (the printed ETCD_* lines),
/// the unstarted member in member list, update, remove; then an unhealthy member and an unavailable cluster.</summary>
[Trait("Category", "Integration")]
public sealed class EtcdctlV2MembershipTests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new(3);
    private readonly V2Curl _curl = new();

    public Task InitializeAsync() => _cluster.StartPublishedAsync();

    public Task DisposeAsync()
    {
        _curl.Dispose();
        _cluster.Dispose();
        return Task.CompletedTask;
    }

    private string Urls => string.Join(",", _cluster.Members.Select(m => m.ClientUrl));

    [Fact]
    public async Task Member_add_update_remove_and_cluster_health_print_as_etcdctl_does()
    {
        var peer = $"http://127.0.0.1:{FreePorts.Take(1)[0]}";
        var added = await EtcdctlV2.RunAsync(Urls, "member", "add", "m4", peer);
        Assert.True(added.ExitCode == 0, added.ToString());
        var lines = added.Out.Split('\n');
        Assert.Matches("^Added member named m4 with ID [0-9a-f]+ to cluster$", lines[0]);
        var newId = lines[0].Split(' ')[6];
        var initial = string.Join(",", (await MembersAsync()).OrderBy(m => Convert.ToUInt64(m.Id, 16))
            .Select(m => $"{(m.Id == newId ? "m4" : m.Name)}={m.PeerUrl}"));
        Assert.True(new[] { "", "ETCD_NAME=\"m4\"", $"ETCD_INITIAL_CLUSTER=\"{initial}\"", "ETCD_INITIAL_CLUSTER_STATE=\"existing\"" }.SequenceEqual(lines[1..]), added.Out + "\nexpected cluster " + initial);

        var list = (await EtcdctlV2.RunAsync(Urls, "member", "list")).Out.Split('\n');
        Assert.Equal(4, list.Length);
        Assert.Contains($"{newId}[unstarted]: peerURLs={peer}", list);

        var moved = $"http://127.0.0.1:{FreePorts.Take(1)[0]}";
        var updated = await EtcdctlV2.RunAsync(Urls, "member", "update", newId, moved);
        Assert.Equal((0, $"Updated member with ID {newId} in cluster"), (updated.ExitCode, updated.Out));
        Assert.Contains($"{newId}[unstarted]: peerURLs={moved}", (await EtcdctlV2.RunAsync(Urls, "member", "list")).Out.Split('\n'));

        var duplicate = await _curl.SendAsync("POST", _cluster.Members[0].ClientUrl + "/v2/members", $"{{\"peerURLs\":[\"{moved}\"]}}", "application/json");
        Assert.Equal((409, "{\"message\":\"membership: peerURL exists\"}"), (duplicate.Status, duplicate.Body));

        var removed = await EtcdctlV2.RunAsync(Urls, "member", "remove", newId);
        Assert.Equal((0, $"Removed member {newId} from cluster"), (removed.ExitCode, removed.Out));
        Assert.Equal(3, (await EtcdctlV2.RunAsync(Urls, "member", "list")).Out.Split('\n').Length);
        var unknown = await EtcdctlV2.RunAsync(Urls, "member", "remove", newId);
        Assert.Equal((1, $"Couldn't find a member in the cluster with an ID of {newId}."), (unknown.ExitCode, unknown.Stderr.Trim()));
        var notFound = await _curl.SendAsync("DELETE", _cluster.Members[0].ClientUrl + "/v2/members/" + newId);
        Assert.Equal((404, $"{{\"message\":\"No such member: {newId}\"}}"), (notFound.Status, notFound.Body));

        // Two members down: the survivor has no leader, so it is unhealthy and the cluster unavailable.
        var members = await MembersAsync();
        var survivor = _cluster.Members[0];
        foreach (var m in _cluster.Members.Skip(1)) m.Kill();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await _curl.GetAsync(survivor.ClientUrl + "/health")).Status != 503 && DateTime.UtcNow < deadline) await Task.Delay(200);
        var health = await _curl.GetAsync(survivor.ClientUrl + "/health");
        Assert.Equal((503, "{\"health\":\"false\"}\n"), (health.Status, health.Body));
        var check = await EtcdctlV2.RunAsync(Urls, "cluster-health");
        Assert.Equal(5, check.ExitCode);
        var report = check.Out.Split('\n');
        var survivorId = members.Single(m => m.Name == survivor.Name).Id;
        Assert.Contains($"member {survivorId} is unhealthy: got unhealthy result from {survivor.ClientUrl}", report);
        foreach (var m in members.Where(m => m.Name != survivor.Name))
            Assert.Contains($"member {m.Id} is unreachable: [{_cluster.Members.Single(p => p.Name == m.Name).ClientUrl}] are all unreachable", report);
        Assert.Equal("cluster is unavailable", report[^1]);
    }

    private async Task<List<(string Id, string Name, string PeerUrl)>> MembersAsync()
    {
        var json = (await _curl.GetAsync(_cluster.Members[0].ClientUrl + "/v2/members")).Json.GetProperty("members");
        return json.EnumerateArray().Select(m => (m.GetProperty("id").GetString()!, m.GetProperty("name").GetString()!,
            m.GetProperty("peerURLs")[0].GetString()!)).ToList();
    }
}
