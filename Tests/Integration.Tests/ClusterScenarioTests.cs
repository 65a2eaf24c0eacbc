using Xunit;

namespace Coordinator.Tests.Integration;

/// <summary>A 3-member cluster of real processes: etcdctl across members, leader failure, restarts.</summary>
[Trait("Category", "Integration")]
public sealed class ClusterScenarioTests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new(3, "--snapshot-count", "50");

    public Task InitializeAsync() => _cluster.StartAsync();
    public Task DisposeAsync() { _cluster.Dispose(); return Task.CompletedTask; }

    private async Task<Etcdctl.Result> Ok(string endpoints, params string[] args)
    {
        var r = await Etcdctl.RunAsync(endpoints, args);
        Assert.True(r.ExitCode == 0, $"etcdctl {string.Join(' ', args)}: {r}\n" +
            string.Join("\n---\n", _cluster.Members.Select(m => m.Name + ":\n" + m.Output)));
        return r;
    }

    [Fact]
    public async Task WritesOnAnyMember_AreReadOnEveryMember()
    {
        for (var i = 0; i < 3; i++) await Ok(_cluster.Members[i].Endpoint, "put", $"k{i}", $"v{i}");
        foreach (var m in _cluster.Members)
        {
            Assert.Equal("k0\nv0\nk1\nv1\nk2\nv2", (await Ok(m.Endpoint, "get", "k", "--prefix")).Out);
            Assert.Equal("k0\nv0\nk1\nv1\nk2\nv2", (await Ok(m.Endpoint, "get", "k", "--prefix", "--consistency=s")).Out);
        }
        var status = await Ok(_cluster.Endpoints, "endpoint", "status");
        Assert.Equal(3, status.Out.Split('\n').Length);
        Assert.Contains("is healthy", (await Etcdctl.RunAsync(_cluster.Endpoints, "endpoint", "health")).Stderr);
        Assert.Equal(3, (await Ok(_cluster.Endpoints, "member", "list")).Out.Split('\n').Length);
    }

    [Fact]
    public async Task KillingTheLeader_ElectsAnother_AndKeepsEveryAcknowledgedWrite()
    {
        for (var i = 0; i < 100; i++) await Ok(_cluster.Endpoints, "put", $"acked/{i:D3}", $"{i}");
        var leader = await _cluster.WaitForLeaderAsync();
        leader.Kill();
        var next = await _cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(20));
        Assert.NotEqual(leader.Name, next.Name);
        await Ok(_cluster.Endpoints, "put", "after", "failover");
        var count = await Ok(_cluster.Endpoints, "get", "acked/", "--prefix", "--keys-only", "-w", "json");
        Assert.Contains("\"count\":100", count.Out);

        // The old leader comes back and catches up (by snapshot: far more than --snapshot-count entries passed).
        for (var i = 0; i < 120; i++) await Ok(_cluster.Endpoints, "put", $"b{i:D3}", "x");
        // The running members took snapshots (written off their loops) every --snapshot-count entries.
        var snapshotsDeadline = DateTime.UtcNow.AddSeconds(10);
        while (!SnapshotFiles(next).Any() && DateTime.UtcNow < snapshotsDeadline) await Task.Delay(100);
        Assert.NotEmpty(SnapshotFiles(next));
        leader.Start();
        await _cluster.WaitForLeaderAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string got = "";
        while (DateTime.UtcNow < deadline)
        {
            got = (await Etcdctl.RunAsync(leader.Endpoint, "get", "b119", "--consistency=s")).Out;
            if (got == "b119\nx") break;
            await Task.Delay(200);
        }
        Assert.Equal("b119\nx", got);
    }

    private static IEnumerable<string> SnapshotFiles(CoordinatorProcess member)
    {
        var snap = Path.Combine(member.DataDir, "member", "snap");
        return Directory.Exists(snap) ? Directory.EnumerateFiles(snap, "*.snap", SearchOption.AllDirectories) : [];
    }

    [Fact]
    public async Task AllMembersKilledAndRestarted_DataIntact()
    {
        for (var i = 0; i < 30; i++) await Ok(_cluster.Endpoints, "put", $"d{i:D2}", $"{i}");
        foreach (var m in _cluster.Members) m.Kill();
        foreach (var m in _cluster.Members) m.Start();
        await _cluster.WaitForLeaderAsync();
        var r = await Ok(_cluster.Endpoints, "get", "d", "--prefix", "--keys-only", "-w", "json");
        Assert.Contains("\"count\":30", r.Out);
    }

    [Fact]
    public async Task PausedFollower_DoesNotDisruptTheLeader()
    {
        var leader = await _cluster.WaitForLeaderAsync();
        var follower = _cluster.Members.First(m => m != leader);
        follower.Signal("STOP");
        await Ok(leader.Endpoint, "put", "during", "pause");
        await Task.Delay(2000); // well past the 500 ms election timeout
        follower.Signal("CONT");
        await Task.Delay(1000);
        var after = await _cluster.WaitForLeaderAsync();
        Assert.Equal(leader.Name, after.Name); // pre-vote: the resumed follower could not depose it
    }
}
