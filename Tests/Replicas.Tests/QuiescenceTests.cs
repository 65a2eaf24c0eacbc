using Coordinator.Grains.Replicas;
using Coordinator.Replicas.Tests.Harness;
using Xunit;

namespace Coordinator.Replicas.Tests;

/// <summary>Replica grains of an idle group go quiet — the Raft replica stops heartbeating and the grain stops its
/// timer — and a proposal wakes the group, commits on every member, and lets it go quiet again.</summary>
public sealed class QuiescenceTests
{
    private static readonly ulong[] Members = [1, 2, 3];

    private static async Task WaitQuietAsync(ReplicaCluster cluster, ulong group, bool quiet)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var statuses = await Task.WhenAll(Members.Select(m => cluster.Replica(group, m).Status()));
            if (statuses.All(s => s.Quiet == quiet)) return;
            Assert.True(DateTime.UtcNow < deadline, $"group {group} not {(quiet ? "quiet" : "awake")}: " + string.Join("; ", statuses.Select(s => $"{s.Replica} {s.Role} quiet={s.Quiet}")));
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task An_idle_group_goes_quiet_and_a_proposal_wakes_it_and_commits_everywhere()
    {
        await using var cluster = await ReplicaCluster.StartAsync();
        cluster.DefineQuietGroup(11, quiesceAfterTicks: 5, Members);
        var leader = await cluster.WaitForLeaderAsync(11, Members);
        Assert.Equal(ProposalOutcome.Applied, (await cluster.ProposeAsync(11, [leader], "before")).Outcome);
        await WaitQuietAsync(cluster, 11, quiet: true);

        var term = (await cluster.Replica(11, leader).Status()).Term;
        var result = await cluster.ProposeAsync(11, [leader], "wakes it");
        Assert.Equal(ProposalOutcome.Applied, result.Outcome);
        await cluster.WaitForAppliedAsync(11, Members, 2);
        Assert.Equal(term, (await cluster.Replica(11, leader).Status()).Term); // woken, not re-elected
        await WaitQuietAsync(cluster, 11, quiet: true);
    }

    [Fact]
    public async Task Groups_without_the_option_never_go_quiet()
    {
        await using var cluster = await ReplicaCluster.StartAsync();
        cluster.DefineGroup(12, Members);
        var leader = await cluster.WaitForLeaderAsync(12, Members);
        await cluster.ProposeAsync(12, [leader], "x");
        await Task.Delay(1500); // 30 ticks: far past any quiesce threshold
        Assert.All(await Task.WhenAll(Members.Select(m => cluster.Replica(12, m).Status())), s => Assert.False(s.Quiet));
    }

    [Fact]
    public async Task When_the_silo_of_a_quiet_groups_leader_dies_the_others_elect_a_new_leader_without_any_request()
    {
        await using var cluster = await ReplicaCluster.StartAsync();
        cluster.DefineQuietGroup(13, quiesceAfterTicks: 5, Members);
        var leader = await cluster.WaitForLeaderAsync(13, Members);
        await cluster.ProposeAsync(13, [leader], "x");
        await WaitQuietAsync(cluster, 13, quiet: true);
        var survivors = Members.Where(m => m != leader).ToArray();
        await cluster.KillAsync(leader);
        // No proposal, no read: only Orleans declaring the silo dead wakes the survivors.
        var deadline = DateTime.UtcNow + ReplicaCluster.Patience;
        while (true)
        {
            var statuses = await Task.WhenAll(survivors.Select(m => cluster.Replica(13, m).Status()));
            if (statuses.Any(s => s.Role == "Leader")) break;
            Assert.True(DateTime.UtcNow < deadline, "no new leader after the leader's silo died: " +
                string.Join("; ", statuses.Select(s => $"{s.Replica} {s.Role} quiet={s.Quiet}")));
            await Task.Delay(200);
        }
    }
}
