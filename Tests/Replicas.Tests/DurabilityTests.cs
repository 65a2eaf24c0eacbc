using System.Text;
using Coordinator.Grains.Replicas;
using Coordinator.Replicas.Tests.Harness;

namespace Coordinator.Replicas.Tests;

/// <summary>Writes run off the grain's turn, and nothing that depends on a write is answered before it is durable.</summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task A_stalled_write_blocks_no_turn_and_its_proposal_answers_only_once_durable()
    {
        await using var cluster = await ReplicaCluster.StartAsync();
        cluster.DefineGroup(11, 1);
        var replica = cluster.Replica(11, 1);
        Assert.Equal(1UL, await cluster.WaitForLeaderAsync(11, [1]));
        var first = await replica.Propose("a"u8.ToArray());
        Assert.Equal(ProposalOutcome.Applied, first.Outcome);

        var gate = cluster.World.Gate(1);
        gate.Close();
        var pending = replica.Propose("b"u8.ToArray());
        var deadline = DateTime.UtcNow + ReplicaCluster.Patience;
        while (gate.Waiting == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the proposal's write never started");
            await Task.Delay(20);
        }

        // The grain keeps taking turns while its write waits; what it reports is what is durable.
        for (var i = 0; i < 5; i++)
        {
            var status = await replica.Status();
            Assert.Equal(first.Index, status.LastIndex);
            await Task.Delay(50);
        }
        Assert.False(pending.IsCompleted);
        Assert.DoesNotContain("b", cluster.World.Applied(new ReplicaKey(11, 1)));

        gate.Open();
        var second = await pending;
        Assert.Equal(ProposalOutcome.Applied, second.Outcome);
        Assert.Equal(first.Index + 1, second.Index);
        Assert.Equal(2, BitConverter.ToInt32(second.Result));
        Assert.Equal(second.Index, (await replica.Status()).LastIndex);
        Assert.Equal(["a", "b"], cluster.World.Applied(new ReplicaKey(11, 1)));
    }

    [Fact]
    public async Task A_follower_answers_not_leader_with_the_leader_and_an_empty_proposal_is_refused()
    {
        await using var cluster = await ReplicaCluster.StartAsync();
        cluster.DefineGroup(12, 1, 2, 3);
        var leader = await cluster.WaitForLeaderAsync(12, [1, 2, 3]);
        var follower = new ulong[] { 1, 2, 3 }.First(m => m != leader);

        var answer = await cluster.Replica(12, follower).Propose(Encoding.UTF8.GetBytes("x"));
        Assert.Equal(ProposalOutcome.NotLeader, answer.Outcome);
        Assert.Equal(leader, answer.Leader);
        Assert.Equal($"not the leader; member {leader} leads", answer.Reason);

        var empty = await Assert.ThrowsAsync<ArgumentException>(() => cluster.Replica(12, leader).Propose([]));
        Assert.StartsWith("a proposal must not be empty (an empty entry is a new leader's own)", empty.Message);
    }
}
