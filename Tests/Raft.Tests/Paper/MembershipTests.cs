using Coordinator.Grains.Raft;
using Coordinator.Tests.Raft.Harness;
using Xunit;

namespace Coordinator.Tests.Raft.Paper;

/// <summary>Thesis §4: single-member changes, learners, and a leader that removes itself.</summary>
public sealed class MembershipTests
{
    private static Network Elected(int n = 3, Func<ReplicaOptions, ReplicaOptions>? configure = null)
    {
        var net = Network.Create(n, configure);
        net.Campaign(1);
        net.Stabilize();
        return net;
    }

    private static Network WithLearner4(Func<ReplicaOptions, ReplicaOptions>? configure = null)
    {
        var net = Elected(configure: configure);
        net.Add(4);
        Assert.Equal(ProposeOutcome.Appended, net.ProposeConfigChange(1, ConfigChangeType.AddLearner, 4).Outcome);
        net.Stabilize();
        net.Tick(1);    // the new member is contacted with the next heartbeat
        net.Stabilize();
        return net;
    }

    [Fact]
    public void AddLearner_LearnerReceivesTheLogAndTheMembership()
    {
        var net = WithLearner4();
        Assert.All(net.Nodes, n => Assert.Equal("voters=(1,2,3) learners=(4)", n.Replica.Membership.ToString()));
        Assert.Equal(net[1].AppliedIndex, net[4].AppliedIndex);
        Assert.True(net[1].Replica.Status().Progress[4].IsLearner);
    }

    [Fact]
    public void LearnerNeverVotesNorCampaigns()
    {
        var net = WithLearner4();
        net.Tick(4, 100);
        Assert.Equal(ReplicaRole.Follower, net[4].Replica.Role);
        Assert.DoesNotContain(net.Sent, m => m.From == 4 && m.Type is MessageType.Vote or MessageType.PreVote);
        net.Campaign(2);
        net.Stabilize();
        Assert.DoesNotContain(net.Sent, m => m.To == 4 && m.Type is MessageType.Vote or MessageType.PreVote);
        Assert.Equal(ReplicaRole.Leader, net[2].Replica.Role);
    }

    [Fact]
    public void LearnerNeverCountsForQuorum()
    {
        var net = WithLearner4();
        net.Isolate(2); net.Isolate(3);
        var r = net.Propose(1, "x");
        net.Stabilize();
        Assert.Equal(r.Index, net[1].Replica.Status().Progress[4].Match); // 4 has it...
        Assert.True(net[1].Replica.Committed < r.Index);                   // ...but 1 + learner is no majority
    }

    [Fact]
    public void PromoteRefusedUntilLearnerCaughtUp()
    {
        var net = WithLearner4(o => o with { PromoteMaxLag = 0 });
        net.Isolate(4);
        net.Propose(1, "x");
        net.Stabilize();
        Assert.Equal(ProposeOutcome.DroppedLearnerNotCaughtUp, net.ProposeConfigChange(1, ConfigChangeType.PromoteLearner, 4).Outcome);
        net.Recover();
        net.Tick(1);
        net.Stabilize();
        Assert.Equal(ProposeOutcome.Appended, net.ProposeConfigChange(1, ConfigChangeType.PromoteLearner, 4).Outcome);
        net.Stabilize();
        Assert.All(net.Nodes, n => Assert.Equal("voters=(1,2,3,4)", n.Replica.Membership.ToString()));
    }

    [Fact]
    public void SecondChangeWhileOnePendingIsRefused()
    {
        var net = Elected();
        Assert.Equal(ProposeOutcome.Appended, net.ProposeConfigChange(1, ConfigChangeType.AddLearner, 4).Outcome);
        Assert.Equal(ProposeOutcome.DroppedConfigChangePending, net.ProposeConfigChange(1, ConfigChangeType.AddLearner, 5).Outcome);
        net.Stabilize();
        Assert.Equal(ProposeOutcome.Appended, net.ProposeConfigChange(1, ConfigChangeType.AddLearner, 5).Outcome);
    }

    [Fact]
    public void NewLeaderCommitsEntryOfItsTermBeforeAConfigChange()
    {
        var net = Network.Create(3);
        net.Campaign(1);
        net.Deliver(); net.Deliver();   // leader, empty entry not committed
        Assert.Equal(ProposeOutcome.DroppedConfigChangePending, net.ProposeConfigChange(1, ConfigChangeType.AddLearner, 4).Outcome);
    }

    [Fact]
    public void InvalidChangesAreRefused()
    {
        var net = Elected();
        Assert.Equal(ProposeOutcome.DroppedInvalidConfigChange, net.ProposeConfigChange(1, ConfigChangeType.AddVoter, 2).Outcome);
        Assert.Equal(ProposeOutcome.DroppedInvalidConfigChange, net.ProposeConfigChange(1, ConfigChangeType.PromoteLearner, 2).Outcome);
        Assert.Equal(ProposeOutcome.DroppedInvalidConfigChange, net.ProposeConfigChange(1, ConfigChangeType.RemoveMember, 9).Outcome);
    }

    [Fact]
    public void RemoveMember_QuorumShrinks()
    {
        var net = Elected();
        net.ProposeConfigChange(1, ConfigChangeType.RemoveMember, 3);
        net.Stabilize();
        Assert.Equal("voters=(1,2)", net[1].Replica.Membership.ToString());
        Assert.False(net[1].Replica.Status().Progress.ContainsKey(3));
        net.Isolate(3);
        var r = net.Propose(1, "x");
        net.Stabilize();
        Assert.Equal(r.Index, net[1].Replica.Committed); // 1 and 2 are a majority of two
    }

    [Fact]
    public void LeaderRemovingItselfStepsDownOnceTheRemovalCommits()
    {
        var net = Elected();
        var before = net.Sent.Count;
        var r = net.ProposeConfigChange(1, ConfigChangeType.RemoveMember, 1);
        Assert.Equal(ProposeOutcome.Appended, r.Outcome);
        net.Stabilize();
        Assert.True(net[1].AppliedIndex >= r.Index);
        Assert.Equal(ReplicaRole.Follower, net[1].Replica.Role);
        Assert.All(net.Nodes, n => Assert.Equal("voters=(2,3)", n.Replica.Membership.ToString()));
        // The others have the removal committed and elect a leader among themselves; 1 never campaigns.
        for (var i = 0; i < 40 && net.Leader() is null; i++) net.TickAll(1);
        Assert.NotNull(net.Leader());
        Assert.NotEqual(1UL, net.Leader()!.Id);
        var campaign = net.Sent.Skip(before).FirstOrDefault(m => m.From == 1 && m.Type is MessageType.Vote or MessageType.PreVote);
        Assert.True(campaign is null, $"removed 1 campaigned: {campaign}");
    }

    [Fact]
    public void RemovedFollowerProposalIsNotMember()
    {
        var net = Elected();
        net.ProposeConfigChange(1, ConfigChangeType.RemoveMember, 1);
        net.Stabilize();
        Assert.False(net[1].Replica.Propose("x"u8.ToArray()).Accepted);
    }

    [Fact]
    public void ActiveVotersInStatus()
    {
        var net = Elected(configure: o => o with { CheckQuorum = true });
        Assert.Equal(new HashSet<ulong> { 1, 2, 3 }, net[1].Replica.Status().ActiveVoters);
        net.Isolate(3);
        for (var i = 0; i < 10; i++) { net.Tick(1); net.Stabilize(); }
        Assert.Equal(new HashSet<ulong> { 1, 2 }, net[1].Replica.Status().ActiveVoters);
    }
}
