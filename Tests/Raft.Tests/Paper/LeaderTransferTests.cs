using Coordinator.Grains.Raft;
using Coordinator.Tests.Raft.Harness;
using Xunit;

namespace Coordinator.Tests.Raft.Paper;

/// <summary>Thesis §3.10: leadership transfer.</summary>
public sealed class LeaderTransferTests
{
    private static Network Elected(Func<ReplicaOptions, ReplicaOptions>? configure = null)
    {
        var net = Network.Create(3, configure);
        net.Campaign(1);
        net.Stabilize();
        return net;
    }

    [Fact]
    public void TransferCatchesTargetUpThenSendsTimeoutNow()
    {
        var net = Elected(o => o with { PreVote = true, CheckQuorum = true });
        net.Isolate(3);
        net.Propose(1, "a");
        net.Stabilize();
        net.Recover();
        net.TransferLeadership(1, 3);
        Assert.DoesNotContain(net.InFlight, m => m.Type == MessageType.TimeoutNow); // 3 is behind
        Assert.Equal(ProposeOutcome.DroppedLeaderTransfer, net.Propose(1, "b").Outcome);
        net.Stabilize();
        var timeoutNow = net.Sent.FindIndex(m => m.Type == MessageType.TimeoutNow);
        var caughtUp = net.Sent.FindIndex(m => m is { Type: MessageType.AppendResponse, From: 3, Index: 5, Term: 2, Reject: false });
        Assert.True(caughtUp >= 0 && caughtUp < timeoutNow, "TimeoutNow only after 3 acked the leader's last index");
        Assert.Equal(ReplicaRole.Leader, net[3].Replica.Role);
        Assert.Equal(3UL, net[3].Replica.Term);
        Assert.Equal(3UL, net[1].Replica.Leader);
        Assert.Contains(net.Sent, m => m is { Type: MessageType.Vote, From: 3, LeaderTransfer: true });
    }

    [Fact]
    public void TransferToUpToDateTargetSendsTimeoutNowAtOnce()
    {
        var net = Elected();
        net.TransferLeadership(1, 2);
        Assert.Contains(net.InFlight, m => m is { Type: MessageType.TimeoutNow, To: 2 });
        net.Stabilize();
        Assert.Equal(ReplicaRole.Leader, net[2].Replica.Role);
    }

    [Fact]
    public void TransferRequestOnFollowerIsForwardedToLeader()
    {
        var net = Elected();
        net.TransferLeadership(3, 2);
        Assert.Contains(net.InFlight, m => m is { Type: MessageType.TransferLeader, From: 3, To: 1, Index: 2 });
        net.Stabilize();
        Assert.Equal(ReplicaRole.Leader, net[2].Replica.Role);
    }

    [Fact]
    public void TransferAbortedAfterElectionTimeoutWhenTargetUnreachable()
    {
        var net = Elected();
        net.Isolate(3);
        net.TransferLeadership(1, 3);
        Assert.Equal(3UL, net[1].Replica.Status().LeadTransferee);
        for (var i = 0; i < 9; i++) { net.Tick(1); net.Stabilize(); }
        Assert.Equal(ProposeOutcome.DroppedLeaderTransfer, net.Propose(1, "x").Outcome);
        net.Tick(1);
        Assert.Equal(0UL, net[1].Replica.Status().LeadTransferee);
        Assert.Equal(ReplicaRole.Leader, net[1].Replica.Role);
        Assert.Equal(ProposeOutcome.Appended, net.Propose(1, "x").Outcome);
    }

    [Fact]
    public void TransferToLearnerOrSelfIsIgnored()
    {
        var net = Elected();
        net.TransferLeadership(1, 1);
        net.TransferLeadership(1, 9);
        Assert.Equal(0UL, net[1].Replica.Status().LeadTransferee);
    }

    [Fact]
    public void TimeoutNowBypassesLeaderLease()
    {
        // With check-quorum, 2 ignores ordinary votes while it hears from 1 — but not a transfer's.
        var net = Elected(o => o with { CheckQuorum = true, PreVote = true });
        var before = net.Sent.Count;
        net.TransferLeadership(1, 3);
        net.Stabilize();
        Assert.Equal(ReplicaRole.Leader, net[3].Replica.Role);
        var pre = net.Sent.Skip(before).FirstOrDefault(m => m.Type == MessageType.PreVote);
        Assert.True(pre is null, $"pre-vote during a transfer: {pre}"); // straight to a real vote
    }
}
