using System.Text;
using Coordinator.Grains.Raft;
using Coordinator.Tests.Raft.Harness;
using Xunit;

namespace Coordinator.Tests.Raft.Quiescence;

/// <summary>Idle groups go quiet (Replica.Quiescence.cs): no messages while idle, woken by any request or
/// peer traffic, a dead leader replaced after a request, a live one never disrupted by a wake-up.</summary>
public sealed class QuiescenceTests
{
    private const int QuietAfter = 5;

    /// <summary>Production-like options: pre-vote and check-quorum on, quiescence after 5 idle ticks.</summary>
    private static ReplicaOptions Quiet(ReplicaOptions o) => o with { PreVote = true, CheckQuorum = true, QuiesceAfterTicks = QuietAfter };

    private static Network QuietCluster(int voters = 3)
    {
        var net = Network.Create(voters, Quiet);
        net.Campaign(1);
        net.Stabilize();
        net.Propose(1, "first");
        net.Stabilize();
        net.TickAll(QuietAfter + 2);
        Assert.All(net.Nodes, n => Assert.True(n.Replica.IsQuiesced, $"{n} is not quiet"));
        return net;
    }

    private static bool AppliedEverywhere(Network net, string data, IEnumerable<ulong> nodes) =>
        nodes.All(id => net[id].Applied.Any(e => e.Data.Length > 0 && Encoding.UTF8.GetString(e.Data.Span) == data));

    [Fact]
    public void An_idle_group_goes_quiet_and_then_sends_nothing()
    {
        var net = QuietCluster();
        var leaderTerm = net[1].Replica.Term;
        var sent = net.Sent.Count;
        net.TickAll(500);
        Assert.Equal(sent, net.Sent.Count);
        Assert.Equal(ReplicaRole.Leader, net[1].Replica.Role);
        Assert.Equal(leaderTerm, net[1].Replica.Term);
    }

    [Fact]
    public void Without_the_option_a_group_never_goes_quiet()
    {
        var net = Network.Create(3, o => o with { PreVote = true, CheckQuorum = true });
        net.Campaign(1);
        net.Stabilize();
        var sent = net.Sent.Count;
        net.TickAll(100);
        Assert.All(net.Nodes, n => Assert.False(n.Replica.IsQuiesced));
        Assert.True(net.Sent.Count - sent >= 100 * 2, "the leader heartbeats both followers every tick");
    }

    [Fact]
    public void A_proposal_at_the_quiet_leader_commits_everywhere_and_the_group_goes_quiet_again()
    {
        var net = QuietCluster();
        net.Propose(1, "x");
        Assert.False(net[1].Replica.IsQuiesced);
        net.Stabilize();
        Assert.True(AppliedEverywhere(net, "x", new ulong[] { 1, 2, 3 }));
        net.TickAll(QuietAfter + 2);
        Assert.All(net.Nodes, n => Assert.True(n.Replica.IsQuiesced));
    }

    [Fact]
    public void A_proposal_at_a_quiet_follower_is_forwarded_and_commits()
    {
        var net = QuietCluster();
        Assert.Equal(ProposeOutcome.Forwarded, net.Propose(3, "via follower").Outcome);
        net.Stabilize();
        Assert.True(AppliedEverywhere(net, "via follower", new ulong[] { 1, 2, 3 }));
    }

    [Fact]
    public void A_read_at_a_quiet_follower_is_answered_at_the_commit_index()
    {
        var net = QuietCluster();
        Assert.True(net.ReadIndex(2, 42));
        net.Stabilize();
        var read = Assert.Single(net[2].ReadStates);
        Assert.Equal(new ReadState(net[1].Replica.Committed, 42), read);
    }

    [Fact]
    public void A_follower_that_lags_keeps_the_leader_awake_until_it_catches_up()
    {
        var net = Network.Create(3, Quiet);
        net.Campaign(1);
        net.Stabilize();
        net.Isolate(3);
        net.Propose(1, "3 misses this");
        net.Stabilize();
        var sent = net.Sent.Count;
        net.TickAll(50);
        Assert.False(net[1].Replica.IsQuiesced);
        Assert.Contains(net.Sent.Skip(sent), m => m is { Type: MessageType.Heartbeat, From: 1, To: 2 });
        net.Recover();
        net.TickAll(QuietAfter + 20);
        Assert.True(AppliedEverywhere(net, "3 misses this", new ulong[] { 1, 2, 3 }));
        Assert.All(net.Nodes, n => Assert.True(n.Replica.IsQuiesced, $"{n} is not quiet"));
    }

    [Fact]
    public void A_follower_that_missed_the_quiesce_heartbeat_wakes_the_leader_without_deposing_it()
    {
        var net = Network.Create(3, Quiet);
        net.Campaign(1);
        net.Stabilize();
        var term = net[1].Replica.Term;
        net.DropIf = m => m is { Type: MessageType.Heartbeat, Quiesce: true, To: 3 };
        net.TickAll(QuietAfter + 1);
        Assert.True(net[1].Replica.IsQuiesced);
        Assert.False(net[3].Replica.IsQuiesced);
        net.DropIf = null;
        // 3 hears nothing, times out and pre-votes; that wakes 1 and 2, and 1 reasserts itself.
        net.TickAll(60);
        Assert.Equal(ReplicaRole.Leader, net[1].Replica.Role);
        Assert.Equal(term, net[1].Replica.Term);
        Assert.All(net.Nodes, n => Assert.True(n.Replica.IsQuiesced, $"{n} is not quiet"));
    }

    [Fact]
    public void A_stale_heartbeat_answer_does_not_wake_a_quiet_leader()
    {
        var net = QuietCluster();
        net.Step(new Message { Group = 1, Type = MessageType.HeartbeatResponse, From = 2, To = 1, Term = net[1].Replica.Term });
        Assert.True(net[1].Replica.IsQuiesced);
        net.Step(new Message { Group = 1, Type = MessageType.HeartbeatResponse, From = 2, To = 1, Term = net[1].Replica.Term, Quiesce = true, Reject = true });
        Assert.False(net[1].Replica.IsQuiesced);
    }

    [Fact]
    public void The_dead_leader_of_a_quiet_group_is_replaced_once_a_request_arrives()
    {
        var net = QuietCluster();
        var term = net[1].Replica.Term;
        net.Isolate(1);
        Assert.Equal(ProposeOutcome.Forwarded, net.Propose(2, "lost with the leader").Outcome);
        var ticks = 0;
        while (net.Nodes.All(n => n.Id == 1 || n.Replica.Role != ReplicaRole.Leader))
        {
            Assert.True(++ticks <= 4 * 10, "no new leader within four election timeouts of the request");
            net.TickAll();
        }
        var leader = net.Nodes.Single(n => n.Id != 1 && n.Replica.Role == ReplicaRole.Leader);
        Assert.True(leader.Replica.Term > term);
        net.Propose(leader.Id, "after the election");
        net.Stabilize();
        Assert.True(AppliedEverywhere(net, "after the election", new ulong[] { 2, 3 }));
    }

    [Fact]
    public void The_host_wakes_a_quiet_group_whose_leader_it_knows_is_down()
    {
        var net = QuietCluster();
        net.Isolate(1);
        net[2].Replica.Wake();
        net[3].Replica.Wake();
        var ticks = 0;
        while (net.Nodes.All(n => n.Id == 1 || n.Replica.Role != ReplicaRole.Leader))
        {
            Assert.True(++ticks <= 3 * 10, "no new leader within three election timeouts of the wake-up");
            net.TickAll();
        }
    }

    [Fact]
    public void A_config_change_wakes_the_group_and_the_new_learner_catches_up_before_it_quiets()
    {
        var net = QuietCluster();
        net.Add(4, options: Quiet(Network.DefaultOptions(4)));
        Assert.Equal(ProposeOutcome.Appended, net.ProposeConfigChange(1, ConfigChangeType.AddLearner, 4).Outcome);
        net.Stabilize();
        net.TickAll(QuietAfter + 20);
        Assert.True(AppliedEverywhere(net, "first", new ulong[] { 1, 2, 3, 4 }));
        Assert.All(net.Nodes, n => Assert.True(n.Replica.IsQuiesced, $"{n} is not quiet"));
    }

    [Fact]
    public void Quiescence_is_refused_with_lease_based_reads()
    {
        var options = Network.DefaultOptions(1) with { CheckQuorum = true, ReadMode = ReadMode.LeaseBased, QuiesceAfterTicks = 3 };
        var e = Assert.Throws<ArgumentException>(() => options.Validate());
        Assert.Contains("quiescence requires safe reads", e.Message);
        Assert.Throws<ArgumentException>(() => (Network.DefaultOptions(1) with { QuiesceAfterTicks = -1 }).Validate());
    }
}
