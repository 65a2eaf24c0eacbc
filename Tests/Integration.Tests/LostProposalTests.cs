using System.Text.Json;
using Coordinator.Tests.Integration.V2;
using Xunit;

namespace Coordinator.Tests.Integration;

/// <summary>A proposal a follower forwards can be lost on the way (a leader that has just stepped down drops it,
/// a peer stream that reconnects loses it). The member proposes it again, and the state machine applies it once.
/// The loss is made by the test builds' message failpoint on the follower.</summary>
[Trait("Category", "Integration")]
public sealed class LostProposalTests : IDisposable
{
    private readonly TestCluster _cluster = new(3);
    public void Dispose() => _cluster.Dispose();

    private string Output => string.Join("\n---\n", _cluster.Members.Select(m => m.Name + ":\n" + m.Output));

    private string ControlFile(CoordinatorProcess m) => Path.Combine(_cluster.Root, m.Name + ".failpoints");

    [Fact]
    public async Task A_write_whose_forwarded_proposal_is_lost_succeeds_and_is_applied_once()
    {
        foreach (var m in _cluster.Members) m.Environment["COORDINATOR_FAILPOINTS"] = ControlFile(m);
        await _cluster.StartPublishedAsync();
        var leader = await _cluster.WaitForLeaderAsync();
        var follower = _cluster.Members.First(m => m != leader);
        Assert.Equal(0, (await Etcdctl.RunAsync(follower.Endpoint, "put", "before", "1")).ExitCode);

        await File.WriteAllTextAsync(ControlFile(follower), "drop-proposal-with=lost-once");
        await Task.Delay(300); // read at most every 100 ms
        var put = await Etcdctl.RunAsync(follower.Endpoint, "--command-timeout=15s", "put", "k", "lost-once");
        Assert.True(put.ExitCode == 0, $"{put}\n{Output}");
        Assert.True(follower.Output.Contains("proposed 1 unanswered requests again"), Output);

        // Applied once: one version, created and modified at the same revision, the very next one after "before".
        var before = Kv(await Etcdctl.RunAsync(leader.Endpoint, "get", "before", "-w", "json"));
        var k = Kv(await Etcdctl.RunAsync(leader.Endpoint, "get", "k", "-w", "json"));
        Assert.Equal(1, k.GetProperty("version").GetInt64());
        Assert.Equal(k.GetProperty("create_revision").GetInt64(), k.GetProperty("mod_revision").GetInt64());
        Assert.Equal(before.GetProperty("mod_revision").GetInt64() + 1, k.GetProperty("mod_revision").GetInt64());
        var next = JsonDocument.Parse((await Etcdctl.RunAsync(follower.Endpoint, "put", "after", "1", "-w", "json")).Out).RootElement;
        Assert.Equal(k.GetProperty("mod_revision").GetInt64() + 1, next.GetProperty("header").GetProperty("revision").GetInt64());
    }

    private static JsonElement Kv(Etcdctl.Result r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return JsonDocument.Parse(r.Out).RootElement.GetProperty("kvs")[0];
    }
}
