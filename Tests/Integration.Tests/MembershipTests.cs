using System.Text.RegularExpressions;
using Xunit;

namespace Coordinator.Tests.Integration;

/// <summary>Runtime membership with etcdctl and real processes: grow, learners, shrink, replace, the trap.</summary>
[Trait("Category", "Integration")]
public sealed class MembershipTests : IDisposable
{
    private readonly TestCluster _cluster = new(1);
    public void Dispose() => _cluster.Dispose();

    private string Output => string.Join("\n---\n", _cluster.Members.Select(m => m.Name + ":\n" + m.Output));

    private async Task<Etcdctl.Result> Ok(string endpoints, params string[] args)
    {
        var r = await Etcdctl.RunAsync(endpoints, args);
        Assert.True(r.ExitCode == 0, $"etcdctl {string.Join(' ', args)}: {r}\n{Output}");
        return r;
    }

    private async Task<CoordinatorProcess> AddAndStartAsync(string name, bool learner = false)
    {
        var m = _cluster.NewJoiningMember(name);
        string[] args = learner ? ["member", "add", name, "--learner", "--peer-urls=" + m.PeerUrl] : ["member", "add", name, "--peer-urls=" + m.PeerUrl];
        var added = await Ok(_cluster.Members[0].Endpoint, args);
        Assert.Contains("ETCD_INITIAL_CLUSTER_STATE=\"existing\"", added.Out);
        m.UseMemberAddOutput(added.Out);
        m.Start();
        await WaitForAsync(async () => (await Etcdctl.RunAsync(m.Endpoint, "get", "k0", "--consistency=s")).Out == "k0\nv0", $"{name} caught up");
        // "started" (etcd's word) = the member has published its name and client URLs through the log
        await WaitForAsync(async () => (await Etcdctl.RunAsync(_cluster.Members[0].Endpoint, "member", "list")).Out.Contains($"started, {name},"), $"{name} started");
        return m;
    }

    private async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(200);
        }
        throw new TimeoutException($"timed out waiting until {what}\n{Output}");
    }

    private static ulong IdOf(string memberList, string name) =>
        Convert.ToUInt64(memberList.Split('\n').First(l => l.Contains($", {name}, ")).Split(',')[0], 16);

    [Fact]
    public async Task GrowWithMemberAdd_ThroughLearners_ThenShrinkAndReplace()
    {
        await _cluster.StartAsync();
        var a = _cluster.Members[0];
        await Ok(a.Endpoint, "put", "k0", "v0");

        // 1 -> 3 with the printed environment lines
        await AddAndStartAsync("b");
        await Ok(_cluster.Endpoints, "put", "k1", "v1");
        await AddAndStartAsync("c");
        await Ok(_cluster.Endpoints, "put", "k2", "v2");
        var list = (await Ok(a.Endpoint, "member", "list")).Out;
        Assert.Equal(3, list.Split('\n').Length);
        Assert.DoesNotContain("unstarted", list);

        // 3 -> 5 via learners, then promote
        foreach (var name in new[] { "d", "e" })
        {
            var learner = await AddAndStartAsync(name, learner: true);
            Assert.Contains($", {name}, ", (await Ok(a.Endpoint, "member", "list")).Out);
            var id = IdOf((await Ok(a.Endpoint, "member", "list")).Out, name);
            await WaitForAsync(async () => (await Etcdctl.RunAsync(a.Endpoint, "member", "promote", id.ToString("x"))).ExitCode == 0, $"{name} promoted");
            await Ok(_cluster.Endpoints, "put", $"after-{name}", "yes");
        }
        list = (await Ok(a.Endpoint, "member", "list")).Out;
        Assert.Equal(5, list.Split('\n').Length);
        Assert.DoesNotContain("true", list); // no learners left

        // shrink back to 3, removing the leader too (it hands over first)
        var leader = await _cluster.WaitForLeaderAsync();
        foreach (var victim in new[] { leader.Name, _cluster.Members.First(m => m.Running && m.Name != leader.Name && m.Name != "a").Name })
        {
            var current = (await Ok(_cluster.Endpoints, "member", "list")).Out;
            await Ok(_cluster.Endpoints, "member", "remove", IdOf(current, victim).ToString("x"));
            var proc = _cluster.Members.First(m => m.Name == victim);
            await WaitForAsync(() => Task.FromResult(!proc.Running), $"{victim} stopped itself after its removal");
            await Ok(_cluster.Endpoints, "put", $"after-remove-{victim}", "yes");
        }
        Assert.Equal(3, (await Ok(_cluster.Endpoints, "member", "list")).Out.Split('\n').Length);

        // replace a member: remove first, then add a new one
        var replaced = _cluster.Members.First(m => m.Running && m != _cluster.Members.First(x => x.Running));
        await Ok(_cluster.Endpoints, "member", "remove", IdOf((await Ok(_cluster.Endpoints, "member", "list")).Out, replaced.Name).ToString("x"));
        await WaitForAsync(() => Task.FromResult(!replaced.Running), "replaced member stopped");
        var first = _cluster.Members.First(m => m.Running);
        var fresh = _cluster.NewJoiningMember("f");
        var added = await Ok(first.Endpoint, "member", "add", "f", "--peer-urls=" + fresh.PeerUrl);
        fresh.UseMemberAddOutput(added.Out);
        fresh.Start();
        await WaitForAsync(async () => (await Etcdctl.RunAsync(fresh.Endpoint, "get", "k2", "--consistency=s")).Out == "k2\nv2", "f caught up");
        await Ok(_cluster.Endpoints, "put", "final", "yes");
        foreach (var key in new[] { "k0", "k1", "k2", "after-d", "after-e", "final" })
            Assert.Contains(key, (await Ok(fresh.Endpoint, "get", key)).Out);
    }

    [Fact]
    public async Task AddedButNeverStarted_FailsClearly_ThenStartingItRecovers()
    {
        await _cluster.StartAsync();
        var a = _cluster.Members[0];
        await Ok(a.Endpoint, "put", "k0", "v0");
        var b = _cluster.NewJoiningMember("b");
        var added = await Ok(a.Endpoint, "member", "add", "b", "--peer-urls=" + b.PeerUrl);
        b.UseMemberAddOutput(added.Out);

        var write = await Etcdctl.RunAsync(a.Endpoint, "put", "k1", "v1");
        Assert.NotEqual(0, write.ExitCode);
        Assert.Contains("never started", write.Stderr);
        var third = await Etcdctl.RunAsync(a.Endpoint, "member", "add", "c", "--peer-urls=http://127.0.0.1:1");
        Assert.NotEqual(0, third.ExitCode);
        Assert.Contains(b.PeerUrl, third.Stderr);
        Assert.Contains("--force-new-cluster", third.Stderr);

        b.Start();
        await WaitForAsync(async () => (await Etcdctl.RunAsync(a.Endpoint, "put", "k1", "v1")).ExitCode == 0, "writes resumed");
        Assert.Equal("k0\nv0", (await Ok(b.Endpoint, "get", "k0")).Out);
    }

    [Fact]
    public async Task AddedButNeverStarted_RecoveredWithForceNewCluster()
    {
        await _cluster.StartAsync();
        var a = _cluster.Members[0];
        for (var i = 0; i < 20; i++) await Ok(a.Endpoint, "put", $"k{i}", $"v{i}");
        var b = _cluster.NewJoiningMember("b");
        await Ok(a.Endpoint, "member", "add", "b", "--peer-urls=" + b.PeerUrl);
        Assert.NotEqual(0, (await Etcdctl.RunAsync(a.Endpoint, "put", "x", "y")).ExitCode);

        a.Kill();
        var recovered = new CoordinatorProcess(a.Name, a.ClientPort, a.PeerPort, a.DataDir, ["--force-new-cluster"]);
        _cluster.Members.Add(recovered);
        recovered.Start();
        await WaitForAsync(async () => (await Etcdctl.RunAsync(recovered.Endpoint, "put", "x", "y")).ExitCode == 0, "writes after recovery");
        Assert.Equal("k19\nv19", (await Ok(recovered.Endpoint, "get", "k19")).Out);
        Assert.Single((await Ok(recovered.Endpoint, "member", "list")).Out.Split('\n'));
    }

    [Fact]
    public async Task JoiningWithoutMemberAdd_IsRefusedClearly_AndLeavesTheClusterAlone()
    {
        await _cluster.StartAsync();
        var a = _cluster.Members[0];
        var stranger = _cluster.NewJoiningMember("x");
        stranger.Environment["ETCD_NAME"] = "x";
        stranger.Environment["ETCD_INITIAL_CLUSTER"] = $"m1={a.PeerUrl},x={stranger.PeerUrl}";
        stranger.Environment["ETCD_INITIAL_CLUSTER_STATE"] = "existing";
        stranger.Start();
        await WaitForAsync(() => Task.FromResult(!stranger.Running), "the stranger exits");
        Assert.Contains($"has no member with peer URL {stranger.PeerUrl}; add it first with 'etcdctl member add x --peer-urls={stranger.PeerUrl}'", stranger.Output);
        Assert.DoesNotContain("x", (await Ok(a.Endpoint, "member", "list")).Out.Split('\n').Select(l => l.Split(", ")[2]));
    }

    [Fact]
    public async Task PromoteBeforeCatchUp_IsRefused()
    {
        await _cluster.StartAsync();
        var a = _cluster.Members[0];
        await Ok(a.Endpoint, "put", "k0", "v0");
        var learner = _cluster.NewJoiningMember("l");
        var added = await Ok(a.Endpoint, "member", "add", "l", "--learner", "--peer-urls=" + learner.PeerUrl);
        // etcdctl prints the id with %16x: an id below 2^60 is padded with spaces
        var id = Regex.Match(added.Out, @"Member\s+([0-9a-f]+) added").Groups[1].Value;
        var early = await Etcdctl.RunAsync(a.Endpoint, "member", "promote", id);
        Assert.NotEqual(0, early.ExitCode);
        Assert.Contains("can only promote a learner member which is in sync with leader", early.Stderr);
        learner.UseMemberAddOutput(added.Out);
        learner.Start();
        await WaitForAsync(async () => (await Etcdctl.RunAsync(a.Endpoint, "member", "promote", id)).ExitCode == 0, "promotion accepted");
        Assert.Contains("l, ", (await Ok(a.Endpoint, "member", "list")).Out);
    }

    [Fact]
    public async Task BadMembershipRequests_AreRefusedClearly_AndChangeNothing()
    {
        await _cluster.StartAsync();
        var e = _cluster.Members[0].Endpoint;
        // the member list changes once the member publishes its client URLs: compare ids and peer URLs only
        static string Ids(string list) => string.Join(";", list.Split('\n').Select(l => string.Join(",", l.Split(", ").Where((_, i) => i != 1 && i != 4))));
        var before = (await Ok(e, "member", "list")).Out;
        var remove = await Etcdctl.RunAsync(e, "member", "remove", "123456789abcdef");
        Assert.NotEqual(0, remove.ExitCode);
        Assert.Contains("member not found", remove.Stderr);
        var self = before.Split(',')[0];
        var promote = await Etcdctl.RunAsync(e, "member", "promote", self);
        Assert.NotEqual(0, promote.ExitCode);
        Assert.Contains("can only promote a learner member", promote.Stderr);
        var duplicate = await Etcdctl.RunAsync(e, "member", "add", "again", "--peer-urls=" + _cluster.Members[0].PeerUrl);
        Assert.NotEqual(0, duplicate.ExitCode);
        Assert.Contains("Peer URLs already exists", duplicate.Stderr);
        var lastVoter = await Etcdctl.RunAsync(e, "member", "remove", self);
        Assert.NotEqual(0, lastVoter.ExitCode);
        Assert.Equal(Ids(before), Ids((await Ok(e, "member", "list")).Out));
        Assert.Equal("OK", (await Ok(e, "put", "still", "works")).Out);
    }
}
