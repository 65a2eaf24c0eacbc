using System.Text.Json;
using Xunit;

namespace Coordinator.Tests.Integration.V2;

/// <summary>
/// The seed document 002's walkthrough, step by step, on a 3-member cluster: /health and /version, etcdctl
/// cluster-health and member list, then every curl of its v2 API section (set/get/delete, prevNode, TTL and refresh,
/// wait and waitIndex, in-order keys, CAS and CAD, directories, /v2/stats/leader and /v2/stats/self), checked
/// against etcd's real output where the document abbreviates or mistypes it; then the leader is killed.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SeedWalkthroughTests : IAsyncLifetime
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

    private static JsonElement Node(V2Response r, string field = "node") => r.Json.GetProperty(field);

    private static ulong Index(JsonElement node, string name = "modifiedIndex") => node.GetProperty(name).GetUInt64();

    [Fact]
    public async Task The_whole_v2_walkthrough_works_as_shown_and_survives_the_leader()
    {
        var leader = await _cluster.WaitForLeaderAsync();
        var follower = _cluster.Members.First(m => m != leader);
        var a = leader.ClientUrl; // the document's etcd-01 (the leader)
        var b = follower.ClientUrl; // etcd-02

        // Monitoring: /health on every member, etcdctl cluster-health and member list.
        foreach (var m in _cluster.Members)
        {
            var health = await _curl.GetAsync(m.ClientUrl + "/health");
            Assert.Equal((200, "{\"health\":\"true\"}"), (health.Status, health.Body));
        }
        var clusterHealth = await EtcdctlV2.RunAsync(Urls, "cluster-health");
        Assert.Equal(0, clusterHealth.ExitCode);
        var ids = await MemberIdsAsync();
        var expectedHealth = ids.OrderBy(p => Convert.ToUInt64(p.Key, 16))
            .Select(p => $"member {p.Key} is healthy: got healthy result from {p.Value.ClientUrl}").Append("cluster is healthy");
        Assert.Equal(expectedHealth, clusterHealth.Out.Split('\n'));
        Assert.Equal(MemberListLines(ids, leader), (await EtcdctlV2.RunAsync(Urls, "member", "list")).Out.Split('\n'));

        // /version.
        var version = await _curl.GetAsync(a + "/version");
        Assert.Equal(200, version.Status);
        Assert.Equal("3.4.0", version.Json.GetProperty("etcdcluster").GetString());
        Assert.StartsWith("3.4.", version.Json.GetProperty("etcdserver").GetString());

        // Set, set again (prevNode), get, delete, get after delete.
        var set = await _curl.PutAsync(a + "/v2/keys/message", "value=Hello world");
        Assert.Equal(201, set.Status);
        Assert.Equal("set", set.Json.GetProperty("action").GetString());
        var n = Node(set);
        Assert.Equal(("/message", "Hello world"), (n.GetProperty("key").GetString(), n.GetProperty("value").GetString()));
        Assert.Equal(Index(n), Index(n, "createdIndex"));
        Assert.Equal($"{{\"action\":\"set\",\"node\":{{\"key\":\"/message\",\"value\":\"Hello world\",\"modifiedIndex\":{Index(n)},\"createdIndex\":{Index(n)}}}}}\n", set.Body);
        Assert.Equal(Index(n).ToString(), set.Header("X-Etcd-Index"));

        var again = await _curl.PutAsync(a + "/v2/keys/message", "value=My name is yundream");
        Assert.Equal(200, again.Status);
        Assert.Equal("Hello world", Node(again, "prevNode").GetProperty("value").GetString());
        Assert.Equal(Index(n), Index(Node(again, "prevNode")));
        var secondIndex = Index(Node(again));
        Assert.True(secondIndex > Index(n));

        var got = await _curl.GetAsync(b + "/v2/keys/message"); // read on a follower: the write is applied there
        for (var i = 0; i < 50 && (got.Status != 200 || got.Body.Contains("Hello world")); i++) got = await _curl.GetAsync(b + "/v2/keys/message?quorum=true");
        Assert.Equal($"{{\"action\":\"get\",\"node\":{{\"key\":\"/message\",\"value\":\"My name is yundream\",\"modifiedIndex\":{secondIndex},\"createdIndex\":{secondIndex}}}}}\n", got.Body);

        var deleted = await _curl.SendAsync("DELETE", a + "/v2/keys/message");
        Assert.Equal("delete", deleted.Json.GetProperty("action").GetString());
        Assert.False(Node(deleted).TryGetProperty("value", out _));
        Assert.Equal(secondIndex, Index(Node(deleted), "createdIndex"));
        Assert.Equal("My name is yundream", Node(deleted, "prevNode").GetProperty("value").GetString());
        var deleteIndex = Index(Node(deleted));

        var missing = await _curl.GetAsync(a + "/v2/keys/message");
        Assert.Equal(404, missing.Status);
        Assert.Equal($"{{\"errorCode\":100,\"message\":\"Key not found\",\"cause\":\"/message\",\"index\":{deleteIndex}}}\n", missing.Body);

        // TTL: ttl=60 shows expiration and ttl; a get shows the remaining ttl; a short TTL expires on every member.
        var ttl = await _curl.PutAsync(b + "/v2/keys/foo", "value=bar&ttl=60");
        Assert.Equal(60, Node(ttl).GetProperty("ttl").GetInt64());
        var expiration = DateTime.Parse(Node(ttl).GetProperty("expiration").GetString()!).ToUniversalTime();
        Assert.InRange(expiration, DateTime.UtcNow.AddSeconds(55), DateTime.UtcNow.AddSeconds(61));
        var remaining = Node(await _curl.GetAsync(b + "/v2/keys/foo")).GetProperty("ttl").GetInt64();
        Assert.InRange(remaining, 55, 60);
        var shortLived = await _curl.PutAsync(b + "/v2/keys/short", "value=bar&ttl=1");
        Assert.Equal(1, Node(shortLived).GetProperty("ttl").GetInt64());
        foreach (var m in _cluster.Members)
        {
            var expired = await _curl.GetAsync(m.ClientUrl + "/v2/keys/short");
            for (var deadline = DateTime.UtcNow.AddSeconds(20); expired.Status != 404 && DateTime.UtcNow < deadline; await Task.Delay(100))
                expired = await _curl.GetAsync(m.ClientUrl + "/v2/keys/short");
            Assert.Equal(404, expired.Status);
            Assert.Equal(100, expired.Json.GetProperty("errorCode").GetInt32());
        }

        // Refresh: a new TTL without a new value (and without notifying watchers).
        var beforeRefresh = Node(await _curl.GetAsync(b + "/v2/keys/foo"));
        var refreshed = await _curl.PutAsync(b + "/v2/keys/foo", "ttl=120&refresh=true&prevExist=true");
        Assert.Equal("update", refreshed.Json.GetProperty("action").GetString());
        Assert.Equal(("bar", 120L), (Node(refreshed).GetProperty("value").GetString(), Node(refreshed).GetProperty("ttl").GetInt64()));
        Assert.Equal(Index(beforeRefresh, "createdIndex"), Index(Node(refreshed), "createdIndex"));
        Assert.Equal(Index(beforeRefresh), Index(Node(refreshed, "prevNode")));
        Assert.True(Node(refreshed, "prevNode").GetProperty("ttl").GetInt64() <= 60);

        // Waiting for a change: wait=true on a key that does not exist yet, on a follower.
        var waitMissing = _curl.GetAsync(b + "/v2/keys/joinc?wait=true");
        await WatchersAsync(b, 1);
        Assert.False(waitMissing.IsCompleted);
        var joinc = await _curl.PutAsync(a + "/v2/keys/joinc", "value=yundream");
        var woke = await waitMissing.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(200, woke.Status);
        Assert.Equal($"{{\"action\":\"set\",\"node\":{{\"key\":\"/joinc\",\"value\":\"yundream\",\"modifiedIndex\":{Index(Node(joinc))},\"createdIndex\":{Index(Node(joinc))}}}}}\n", woke.Body);
        var waitExisting = _curl.GetAsync(b + "/v2/keys/joinc?wait=true");
        await WatchersAsync(b, 1);
        await _curl.PutAsync(a + "/v2/keys/joinc", "value=Hello world");
        var woke2 = await waitExisting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("yundream", Node(woke2, "prevNode").GetProperty("value").GetString());
        // waitIndex: an event already past is returned at once from the history (the document's &waitIndex=).
        var past = await _curl.GetAsync(b + $"/v2/keys/joinc?wait=true&waitIndex={Index(Node(joinc))}");
        Assert.Equal("yundream", Node(past).GetProperty("value").GetString());

        // In-order keys with POST, listed sorted (the document's "recurisive" typo is ignored by etcd, as here).
        var job1 = await _curl.SendAsync("POST", a + "/v2/keys/queue", "value=Job1");
        Assert.Equal((201, "create"), (job1.Status, job1.Json.GetProperty("action").GetString()));
        Assert.Equal($"/queue/{Index(Node(job1)):D20}", Node(job1).GetProperty("key").GetString());
        var job2 = await _curl.SendAsync("POST", a + "/v2/keys/queue", "value=Job2");
        Assert.Equal($"/queue/{Index(Node(job2)):D20}", Node(job2).GetProperty("key").GetString());
        var queue = await _curl.GetAsync(a + "/v2/keys/queue?recurisive=true&sorted=true");
        var listed = Node(queue);
        Assert.True(listed.GetProperty("dir").GetBoolean());
        Assert.Equal(["Job1", "Job2"], listed.GetProperty("nodes").EnumerateArray().Select(j => j.GetProperty("value").GetString()));
        Assert.Equal(Index(Node(job1)), Index(listed, "createdIndex")); // the directory was made by the first POST

        // Compare-and-swap: prevExist=false creates (etcd's action is "create"), then refuses; prevValue.
        await _curl.SendAsync("DELETE", a + "/v2/keys/foo");
        var one = await _curl.PutAsync(a + "/v2/keys/foo?prevExist=false", "value=one");
        Assert.Equal((201, "create"), (one.Status, one.Json.GetProperty("action").GetString()));
        var exists = await _curl.PutAsync(a + "/v2/keys/foo?prevExist=false", "value=two");
        Assert.Equal(412, exists.Status);
        Assert.Equal($"{{\"errorCode\":105,\"message\":\"Key already exists\",\"cause\":\"/foo\",\"index\":{Index(Node(one))}}}\n", exists.Body);
        var two = await _curl.PutAsync(a + "/v2/keys/foo?prevValue=one", "value=two");
        Assert.Equal("compareAndSwap", two.Json.GetProperty("action").GetString());
        Assert.Equal(("one", Index(Node(one), "createdIndex")), (Node(two, "prevNode").GetProperty("value").GetString(), Index(Node(two), "createdIndex")));
        var failed = await _curl.PutAsync(a + "/v2/keys/foo?prevValue=one", "value=two");
        Assert.Equal(412, failed.Status);
        Assert.Equal($"{{\"errorCode\":101,\"message\":\"Compare failed\",\"cause\":\"[one != two]\",\"index\":{Index(Node(two))}}}\n", failed.Body);
        var three = await _curl.PutAsync(a + "/v2/keys/foo?prevValue=two", "value=three");
        Assert.Equal(("compareAndSwap", "three", "two"), (three.Json.GetProperty("action").GetString(), Node(three).GetProperty("value").GetString(),
            Node(three, "prevNode").GetProperty("value").GetString()));

        // Compare-and-delete.
        var fooOne = await _curl.PutAsync(a + "/v2/keys/foo", "value=one");
        var cadFailed = await _curl.SendAsync("DELETE", a + "/v2/keys/foo?prevValue=two");
        Assert.Equal($"{{\"errorCode\":101,\"message\":\"Compare failed\",\"cause\":\"[two != one]\",\"index\":{Index(Node(fooOne))}}}\n", cadFailed.Body);
        var cad = await _curl.SendAsync("DELETE", a + "/v2/keys/foo?prevValue=one");
        Assert.Equal("compareAndDelete", cad.Json.GetProperty("action").GetString());
        Assert.Equal(Index(Node(fooOne)) + 1, Index(Node(cad)));

        // Directories: made automatically, not a file, not empty, removed recursively.
        var user = await _curl.PutAsync(a + "/v2/keys/user/yundream", "value=joinc");
        var userIndex = Index(Node(user));
        var dir = await _curl.GetAsync(a + "/v2/keys/user");
        Assert.Equal($"{{\"action\":\"get\",\"node\":{{\"key\":\"/user\",\"dir\":true,\"nodes\":[{{\"key\":\"/user/yundream\",\"value\":\"joinc\",\"modifiedIndex\":{userIndex},\"createdIndex\":{userIndex}}}],\"modifiedIndex\":{userIndex},\"createdIndex\":{userIndex}}}}}\n", dir.Body);
        var notFile = await _curl.PutAsync(a + "/v2/keys/user", "value=user information");
        Assert.Equal(403, notFile.Status);
        Assert.Equal($"{{\"errorCode\":102,\"message\":\"Not a file\",\"cause\":\"/user\",\"index\":{userIndex}}}\n", notFile.Body);
        var notEmpty = await _curl.SendAsync("DELETE", a + "/v2/keys/user?dir=true");
        Assert.Equal(403, notEmpty.Status);
        Assert.Equal($"{{\"errorCode\":108,\"message\":\"Directory not empty\",\"cause\":\"/user\",\"index\":{userIndex}}}\n", notEmpty.Body);
        var rmrf = await _curl.SendAsync("DELETE", a + "/v2/keys/user?recursive=true");
        Assert.Equal(("delete", true), (rmrf.Json.GetProperty("action").GetString(), Node(rmrf).GetProperty("dir").GetBoolean()));

        // Statistics: the leader reports both followers with measured latency; a follower refuses as etcd does.
        var leaderStats = await _curl.GetAsync(a + "/v2/stats/leader");
        Assert.Equal(200, leaderStats.Status);
        Assert.Equal(LeaderIdOf(ids, leader), leaderStats.Json.GetProperty("leader").GetString());
        var followers = leaderStats.Json.GetProperty("followers");
        Assert.Equal(ids.Keys.Where(k => k != LeaderIdOf(ids, leader)).Order(), followers.EnumerateObject().Select(p => p.Name).Order());
        foreach (var f in followers.EnumerateObject())
        {
            var latency = f.Value.GetProperty("latency");
            Assert.True(f.Value.GetProperty("counts").GetProperty("success").GetInt64() > 0, leaderStats.Body);
            Assert.True(latency.GetProperty("average").GetDouble() > 0 && latency.GetProperty("minimum").GetDouble() <= latency.GetProperty("maximum").GetDouble(), leaderStats.Body);
        }
        var notLeader = await _curl.GetAsync(b + "/v2/stats/leader");
        Assert.Equal((403, "{\"message\":\"not current leader\"}"), (notLeader.Status, notLeader.Body));
        var selfLeader = (await _curl.GetAsync(a + "/v2/stats/self")).Json;
        Assert.Equal(("StateLeader", leader.Name), (selfLeader.GetProperty("state").GetString(), selfLeader.GetProperty("name").GetString()));
        Assert.True(selfLeader.GetProperty("sendAppendRequestCnt").GetInt64() > 0);
        var selfFollower = (await _curl.GetAsync(b + "/v2/stats/self")).Json;
        Assert.Equal("StateFollower", selfFollower.GetProperty("state").GetString());
        Assert.Equal(LeaderIdOf(ids, leader), selfFollower.GetProperty("leaderInfo").GetProperty("leader").GetString());
        Assert.True(selfFollower.GetProperty("recvAppendRequestCnt").GetInt64() > 0);

        // Kill the leader: cluster-health reports it unreachable, member list moves isLeader.
        leader.Kill();
        var next = await _cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(20));
        var degraded = await EtcdctlV2.RunAsync(Urls, "cluster-health");
        Assert.Equal(5, degraded.ExitCode); // etcdctl's ExitClusterNotHealthy
        var lines = degraded.Out.Split('\n');
        var deadId = LeaderIdOf(ids, leader);
        Assert.Contains($"member {deadId} is unreachable: [{leader.ClientUrl}] are all unreachable", lines);
        foreach (var (id, m) in ids.Where(p => p.Key != deadId))
            Assert.Contains($"member {id} is healthy: got healthy result from {m.ClientUrl}", lines);
        Assert.Equal("cluster is degraded", lines[^1]);
        Assert.Equal(MemberListLines(ids, next), (await EtcdctlV2.RunAsync(Urls, "member", "list")).Out.Split('\n'));
    }

    /// <summary>Waits until <paramref name="url"/>'s member has <paramref name="count"/> watchers registered.</summary>
    private async Task WatchersAsync(string url, long count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await _curl.GetAsync(url + "/v2/stats/store")).Json.GetProperty("watchers").GetInt64() < count && DateTime.UtcNow < deadline)
            await Task.Delay(20);
    }

    private async Task<Dictionary<string, CoordinatorProcess>> MemberIdsAsync()
    {
        var members = (await _curl.GetAsync(_cluster.Members[0].ClientUrl + "/v2/members")).Json.GetProperty("members");
        return members.EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!,
            m => _cluster.Members.Single(p => p.Name == m.GetProperty("name").GetString()));
    }

    private static string LeaderIdOf(Dictionary<string, CoordinatorProcess> ids, CoordinatorProcess leader) => ids.Single(p => p.Value == leader).Key;

    private static IEnumerable<string> MemberListLines(Dictionary<string, CoordinatorProcess> ids, CoordinatorProcess leader) =>
        ids.OrderBy(p => Convert.ToUInt64(p.Key, 16)).Select(p =>
            $"{p.Key}: name={p.Value.Name} peerURLs={p.Value.PeerUrl} clientURLs={p.Value.ClientUrl} isLeader={(p.Value == leader ? "true" : "false")}");
}
