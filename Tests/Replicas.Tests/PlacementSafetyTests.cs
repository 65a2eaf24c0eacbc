using Coordinator.Grains.Replicas;
using Coordinator.Replicas.Tests.Harness;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Coordinator.Replicas.Tests;

/// <summary>The hosting side of Raft safety (SAFETY.md): a replica grain lives on its home member's silo only,
/// and a member hands a group's log to one holder at a time.</summary>
public sealed class PlacementSafetyTests
{
    private static readonly ulong[] Members = [1, 2, 3];

    [Fact]
    public async Task An_activation_placed_on_another_members_silo_is_refused_before_it_opens_a_log()
    {
        await using var cluster = await ReplicaCluster.StartAsync(hintedPlacement: true);
        cluster.DefineGroup(8, Members);
        var wrong = cluster.SiloOf(2);

        var refused = await Assert.ThrowsAsync<ReplicaNotHomeException>(() => StatusPlacedOn(cluster.Replica(8, 1), wrong.SiloAddress));
        Assert.Equal("8/1", refused.Replica);
        Assert.Equal(2UL, refused.LocalMember);
        Assert.Contains($"silo {wrong.SiloAddress} is member 2's and refuses to activate it", refused.Message);
        Assert.False(cluster.LogsOf(2).IsOpen(8));
        Assert.False(cluster.LogsOf(1).IsOpen(8));

        // The gateway keeps its placement of 8/1 on member 2's silo cached, so the client's calls keep landing there
        // and keep being refused. The replica comes up at home once a peer's message reaches it through a silo that
        // places it itself; from then on, an activation attempted on the wrong silo finds the home one registered and
        // forwards to it (Orleans' duplicate-activation path), so the stale route heals.
        await cluster.Replica(8, 2).Status();
        await cluster.Replica(8, 3).Status();
        var deadline = DateTime.UtcNow + ReplicaCluster.Patience;
        while (true)
        {
            try
            {
                Assert.Equal(cluster.SiloOf(1).SiloAddress.ToString(), (await cluster.Replica(8, 1).Status()).Silo);
                break;
            }
            catch (ReplicaNotHomeException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
        Assert.True(cluster.LogsOf(1).IsOpen(8));
    }

    /// <summary>A call whose activation, if it needs one, is placed on <paramref name="silo"/> (by the test director).
    /// The hint lives in this method's request context only: an async method's context changes do not flow back.</summary>
    private static async Task<ReplicaGrainStatus> StatusPlacedOn(IReplicaGrain replica, SiloAddress silo)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        return await replica.Status();
    }

    [Fact]
    public async Task A_second_open_of_a_groups_log_on_one_member_throws_until_the_first_holder_deactivates()
    {
        await using var cluster = await ReplicaCluster.StartAsync();
        cluster.DefineGroup(9, Members);
        await cluster.Replica(9, 1).Status();
        var logs = cluster.LogsOf(1);

        var second = Assert.Throws<ReplicaLogInUseException>(() => logs.Open(9));
        Assert.Equal("the log of group 9 is already open on this member: another activation of its replica holds it", second.Message);

        await cluster.Replica(9, 1).Deactivate();
        var deadline = DateTime.UtcNow + ReplicaCluster.Patience;
        while (logs.IsOpen(9))
        {
            Assert.True(DateTime.UtcNow < deadline, "the deactivated replica never closed its log");
            await Task.Delay(50);
        }
        using (var reopened = logs.Open(9)) Assert.Equal(3UL, reopened.LastIndex); // the three bootstrap entries
    }

    [Fact]
    public async Task A_killed_members_replica_is_placed_nowhere_else_and_returns_on_that_member_with_its_log()
    {
        await using var cluster = await ReplicaCluster.StartAsync();
        cluster.DefineGroup(10, Members);
        var leader = await cluster.WaitForLeaderAsync(10, Members);
        for (var i = 0; i < 5; i++) await cluster.ProposeAsync(10, [leader], $"before-{i}");
        await cluster.WaitForAppliedAsync(10, Members, 5);
        var before = await cluster.Replica(10, 3).Status();

        await cluster.KillAsync(3);

        // Once the cluster sees member 3's silo gone, placement finds no home for 10/3 and says so.
        var deadline = DateTime.UtcNow + ReplicaCluster.Patience;
        ReplicaHomeUnavailableException? unavailable = null;
        while (unavailable is null)
        {
            try
            {
                var status = await cluster.Replica(10, 3).Status();
                Assert.Fail($"replica 10/3 answered from {status.Silo} while member 3 is down");
            }
            catch (ReplicaHomeUnavailableException e) { unavailable = e; }
            catch (Exception e) when (ReplicaCluster.Retryable(e) && DateTime.UtcNow < deadline) { await Task.Delay(250); }
        }
        Assert.Equal("replica 10/3 lives only on member 3, which has no active silo; it is not placed elsewhere", unavailable.Message);

        // The other two members still form a quorum.
        var survivors = new ulong[] { 1, 2 };
        for (var i = 0; i < 5; i++) await cluster.ProposeAsync(10, survivors, $"while-down-{i}");
        await Assert.ThrowsAsync<ReplicaHomeUnavailableException>(() => cluster.Replica(10, 3).Status());

        var restarted = await cluster.RestartAsync(3);
        ReplicaGrainStatus? back = null;
        deadline = DateTime.UtcNow + ReplicaCluster.Patience;
        while (back is null)
        {
            try { back = await cluster.Replica(10, 3).Status(); }
            catch (Exception e) when ((ReplicaCluster.Retryable(e) || e is ReplicaHomeUnavailableException) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
        Assert.Equal(restarted.SiloAddress.ToString(), back.Silo);
        Assert.True(back.Term >= before.Term && back.LastIndex >= before.LastIndex,
            $"reopened log is behind the one before the kill: {back} vs {before}");
        Assert.True(cluster.LogsOf(3).IsOpen(10));

        // It catches up with what was committed while it was down, in the same order as the others.
        await cluster.ProposeAsync(10, Members, "after");
        await cluster.WaitForAppliedAsync(10, Members, 11);
        var order = cluster.World.Applied(new ReplicaKey(10, 1));
        Assert.Equal(order, cluster.World.Applied(new ReplicaKey(10, 3)));
        Assert.Equal(order, cluster.World.Applied(new ReplicaKey(10, 2)));
    }
}
