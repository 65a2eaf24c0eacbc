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
    public async Task A_failed_write_stops_the_activation_and_the_next_one_resumes_from_the_log()
    {
        await using var cluster = await ReplicaCluster.StartAsync();
        cluster.DefineGroup(13, 1);
        var replica = cluster.Replica(13, 1);
        await cluster.WaitForLeaderAsync(13, [1]);
        var first = await replica.Propose("a"u8.ToArray());

        cluster.World.Gate(1).FailNext(new IOException("disk full"));
        var failed = await replica.Propose("b"u8.ToArray());
        Assert.Equal(ProposalOutcome.Stopped, failed.Outcome);
        Assert.Equal("replica 13/1 stopped after a failure (disk full); the entry may still commit", failed.Reason);

        // The stopped activation deactivates and closes its log; the next call activates a new one from the log.
        var deadline = DateTime.UtcNow + ReplicaCluster.Patience;
        while (true)
        {
            try { await replica.Status(); break; }
            catch (InvalidOperationException e) when (e.Message.Contains("has stopped") && DateTime.UtcNow < deadline) { await Task.Delay(50); }
        }
        await cluster.WaitForLeaderAsync(13, [1]);
        var third = await cluster.ProposeAsync(13, [1], "c");
        Assert.True(third.Index > first.Index);
        Assert.Equal(["a", "c"], cluster.World.Applied(new ReplicaKey(13, 1)));
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
