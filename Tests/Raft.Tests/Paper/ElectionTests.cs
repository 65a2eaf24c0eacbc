using Coordinator.Grains.Raft;
using Coordinator.Tests.Raft.Harness;
using Xunit;

namespace Coordinator.Tests.Raft.Paper;

/// <summary>Raft §5.2 (leader election) and §5.4.1 (election restriction), plus pre-vote and check-quorum (§9.6, §6.2).</summary>
public sealed class ElectionTests
{
    private static Network Elected(int n = 3, Func<ReplicaOptions, ReplicaOptions>? configure = null, ulong leader = 1)
    {
        var net = Network.Create(n, configure);
        net.Campaign(leader);
        net.Stabilize();
        Assert.Equal(ReplicaRole.Leader, net[leader].Replica.Role);
        return net;
    }

    private static Message Vote(ulong from, ulong to, ulong term, ulong lastIndex, ulong lastTerm) =>
        new() { Group = 1, Type = MessageType.Vote, From = from, To = to, Term = term, Index = lastIndex, LogTerm = lastTerm };

    [Fact]
    public void CandidateWinsWithMajorityOfVotes()
    {
        var net = Network.Create(5);
        net.Isolate(4); net.Isolate(5);
        net.Campaign(1);
        net.Stabilize();
        Assert.Equal(ReplicaRole.Leader, net[1].Replica.Role);
        Assert.Equal(2UL, net[1].Replica.Term);
    }

    [Fact]
    public void CandidateWithoutMajorityDoesNotLead()
    {
        var net = Network.Create(5);
        net.Isolate(3); net.Isolate(4); net.Isolate(5);
        net.Campaign(1);
        net.Stabilize();
        Assert.Equal(ReplicaRole.Candidate, net[1].Replica.Role);
    }

    [Fact]
    public void OneVotePerTerm()
    {
        var net = Network.Create(3);
        net.Step(Vote(2, 1, 5, 3, 1));
        net.Step(Vote(3, 1, 5, 3, 1));
        var replies = net.InFlight.Where(m => m.Type == MessageType.VoteResponse).ToList();
        Assert.False(replies.Single(m => m.To == 2).Reject);
        Assert.True(replies.Single(m => m.To == 3).Reject);
        // Asking again (a retransmission) gets the same answer.
        net.Step(Vote(2, 1, 5, 3, 1));
        Assert.False(net.InFlight.Last().Reject);
        Assert.Equal(2UL, net[1].Storage.HardState.Vote);
    }

    [Fact]
    public void VoteGrantedOnlyToUpToDateLog()
    {
        // 1's log ends at 5/2 (entries 4 and 5 of term 2 after the 3 bootstrap entries).
        var net = Network.Create(3, extraTerms: new Dictionary<ulong, ulong[]> { [1] = new ulong[] { 2, 2 } });
        net.Step(Vote(2, 1, 3, 9, 1));  // longer, but older last term
        net.Step(Vote(3, 1, 4, 4, 2));  // same last term, shorter
        Assert.All(net.InFlight, m => Assert.True(m.Reject));
        net.Step(Vote(2, 1, 5, 5, 2));  // as up to date
        Assert.False(net.InFlight.Last().Reject);
        net.Step(Vote(3, 1, 6, 3, 3));  // higher last term wins even if shorter
        Assert.False(net.InFlight.Last().Reject);
    }

    [Fact]
    public void VoteAndTermPersistedBeforeReply()
    {
        var storage = Bootstrap.Storage(3);
        var r = new Replica(Network.DefaultOptions(1), storage);
        var boot = r.GetReady();
        storage.Save(boot.HardState, boot.Entries);
        r.Advance(boot);

        r.Step(Vote(2, 1, 7, 3, 1));
        var rd = r.GetReady();
        // The grant leaves in the same Ready as the HardState that records it, flagged for fsync:
        // the host persists first, so a restarted replica can never vote twice in term 7.
        Assert.Equal(new HardState(7, 2, 3), rd.HardState);
        Assert.True(rd.MustSync);
        var reply = Assert.Single(rd.Messages);
        Assert.Equal(MessageType.VoteResponse, reply.Type);
        Assert.False(reply.Reject);
        Assert.Equal(7UL, reply.Term);
    }

    [Fact]
    public void CandidateStepsDownOnHigherTerm()
    {
        var net = Network.Create(3);
        net.Isolate(1);
        net.Campaign(1);
        Assert.Equal(ReplicaRole.Candidate, net[1].Replica.Role);
        net.Recover(); net.InFlight.Clear();
        net.Step(new Message { Group = 1, Type = MessageType.Heartbeat, From = 2, To = 1, Term = 5 });
        Assert.Equal(ReplicaRole.Follower, net[1].Replica.Role);
        Assert.Equal(5UL, net[1].Replica.Term);
        Assert.Equal(2UL, net[1].Replica.Leader);
    }

    [Fact]
    public void CandidateStepsDownOnAppendFromLeaderOfSameTerm()
    {
        var net = Network.Create(3);
        net.Campaign(1);
        net.Campaign(2); // both candidates of term 2
        net.Step(new Message { Group = 1, Type = MessageType.Append, From = 1, To = 2, Term = 2, Index = 3, LogTerm = 1 });
        Assert.Equal(ReplicaRole.Follower, net[2].Replica.Role);
        Assert.Equal(1UL, net[2].Replica.Leader);
    }

    [Fact]
    public void StaleLeaderStepsDownOnHigherTerm()
    {
        var net = Elected();
        net.Isolate(1);
        net.Campaign(2);
        net.Stabilize();
        Assert.Equal(ReplicaRole.Leader, net[2].Replica.Role);
        Assert.Equal(ReplicaRole.Leader, net[1].Replica.Role); // does not know yet
        net.Recover();
        net.Tick(2);   // heartbeat of term 3
        net.Stabilize();
        Assert.Equal(ReplicaRole.Follower, net[1].Replica.Role);
        Assert.Equal(3UL, net[1].Replica.Term);
        Assert.Equal(2UL, net[1].Replica.Leader);
    }

    [Fact]
    public void StaleLeaderStepsDownWhenItsAppendIsAnsweredWithHigherTerm()
    {
        var net = Elected(configure: o => o with { CheckQuorum = true, PreVote = true });
        net.Isolate(1);
        // 2 and 3 stop hearing from 1: once their lease expires one of them is elected; 1 is not ticked,
        // so it still believes it leads term 2.
        for (var i = 0; i < 40 && net.Leader()!.Id == 1; i++) { net.Tick(2); net.Tick(3); net.Stabilize(); }
        Assert.NotEqual(1UL, net.Leader()!.Id);
        Assert.Equal(ReplicaRole.Leader, net[1].Replica.Role);
        net.Recover();
        net.Propose(1, "stale"); // 1 still believes it leads term 2
        net.Stabilize();
        Assert.Equal(ReplicaRole.Follower, net[1].Replica.Role);
        Assert.True(net[1].Replica.Term >= 3);
        Assert.DoesNotContain(net.Nodes.SelectMany(n => n.Applied), e => e.Data.Length == 5);
    }

    [Fact]
    public void ElectionTimeoutRandomizedWithinTwoTimeouts()
    {
        var timeouts = new HashSet<int>();
        for (var seed = 0; seed < 50; seed++)
        {
            var net = Network.Create(3, o => o with { RandomSeed = seed });
            var ticks = 0;
            while (net[1].Replica.Role == ReplicaRole.Follower) { net.Tick(1); ticks++; }
            Assert.InRange(ticks, 10, 19); // [T, 2T)
            timeouts.Add(ticks);
        }
        Assert.True(timeouts.Count > 3, "timeouts are not spread: " + string.Join(",", timeouts));
    }

    [Fact]
    public void FollowerWithLeaderDoesNotCampaignWhileHearingHeartbeats()
    {
        var net = Elected();
        for (var i = 0; i < 100; i++)
        {
            net.TickAll(1);
            Assert.Equal(ReplicaRole.Leader, net[1].Replica.Role);
        }
        Assert.Equal(2UL, net[1].Replica.Term);
    }

    [Fact]
    public void LeaderAppendsEmptyEntryOnTakingOffice()
    {
        var net = Network.Create(3);
        net.Campaign(1);
        net.Deliver(); // votes
        net.Deliver(); // responses: 1 becomes leader
        var leader = net[1];
        Assert.Equal(ReplicaRole.Leader, leader.Replica.Role);
        var last = leader.LogEntries()[^1];
        Assert.Equal(new Entry(4, 2), last);
        Assert.All(net.InFlight.Where(m => m.Type == MessageType.Append), m => Assert.Contains(last, m.Entries));
        net.Stabilize();
        Assert.All(net.Nodes, n => Assert.Equal(4UL, n.AppliedIndex));
    }

    [Fact]
    public void PreVote_DoesNotIncreaseTerm()
    {
        var net = Network.Create(3, o => o with { PreVote = true });
        net.Isolate(1);
        net.Campaign(1);
        net.Stabilize();
        Assert.Equal(ReplicaRole.PreCandidate, net[1].Replica.Role);
        Assert.Equal(1UL, net[1].Replica.Term);
        Assert.Equal(0UL, net[1].Storage.HardState.Vote);
    }

    [Fact]
    public void PreVote_RejoiningMemberDoesNotDeposeLeader()
    {
        var net = Elected(configure: o => o with { PreVote = true, CheckQuorum = true });
        net.Isolate(3);
        net.Propose(1, "x");
        net.Stabilize();
        net.Tick(3, 100); // many election timeouts alone
        net.Stabilize();
        Assert.Equal(2UL, net[3].Replica.Term);
        net.Recover();
        net.Tick(3, 20);
        net.Stabilize();
        net.TickAll(3);
        Assert.Equal(ReplicaRole.Leader, net[1].Replica.Role);
        Assert.All(net.Nodes, n => Assert.Equal(2UL, n.Replica.Term));
        Assert.Equal(1UL, net[3].Replica.Leader);
        Assert.Equal(net[1].AppliedIndex, net[3].AppliedIndex);
    }

    [Fact]
    public void PreVote_RejectedForStaleLog_EvenWithoutCheckQuorum()
    {
        var net = Elected(configure: o => o with { PreVote = true, CheckQuorum = false });
        net.Isolate(3);
        net.Propose(1, "x");
        net.Stabilize();
        net.Recover();
        net.Campaign(3);
        net.Stabilize();
        Assert.Equal(ReplicaRole.Leader, net[1].Replica.Role);
        Assert.Equal(2UL, net[1].Replica.Term);
        Assert.NotEqual(ReplicaRole.Leader, net[3].Replica.Role);
    }

    [Fact]
    public void CheckQuorum_LeaderStepsDownWithoutMajority()
    {
        var net = Elected(configure: o => o with { CheckQuorum = true });
        net.Isolate(1);
        net.Tick(1, 9);
        Assert.Equal(ReplicaRole.Leader, net[1].Replica.Role);
        net.Tick(1, 1);
        Assert.Equal(ReplicaRole.Follower, net[1].Replica.Role);
        Assert.Equal(0UL, net[1].Replica.Leader);
    }

    [Fact]
    public void CheckQuorum_LeaderKeepsLeadingWithMajority()
    {
        var net = Elected(configure: o => o with { CheckQuorum = true });
        net.Isolate(3);
        for (var i = 0; i < 50; i++) { net.Tick(1); net.Stabilize(); }
        Assert.Equal(ReplicaRole.Leader, net[1].Replica.Role);
        Assert.Equal(new HashSet<ulong> { 1, 2 }, net[1].Replica.Status().ActiveVoters);
    }

    [Fact]
    public void CheckQuorum_FollowerInLeaseIgnoresDisruptiveVote()
    {
        var net = Elected(configure: o => o with { CheckQuorum = true });
        net.Step(Vote(3, 2, 9, 100, 9));
        Assert.Empty(net.InFlight);
        Assert.Equal(2UL, net[2].Replica.Term);
    }

    [Fact]
    public void LearnerOrRemovedReplicaNeverCampaigns()
    {
        // A replica outside the membership (here: a fresh one with an empty log) has no vote to ask for.
        var net = Network.Create(3);
        var outsider = net.Add(9);
        net.Tick(9, 100);
        Assert.Equal(ReplicaRole.Follower, outsider.Replica.Role);
        Assert.DoesNotContain(net.Sent, m => m.From == 9);
    }
}
