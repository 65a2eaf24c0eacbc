using Coordinator.Grains.Raft;
using Coordinator.Tests.Raft.Harness;
using Xunit;

namespace Coordinator.Tests.Raft.Paper;

/// <summary>Raft §8 / thesis §6.4: linearizable reads through ReadIndex, batched per heartbeat round.</summary>
public sealed class ReadIndexTests
{
    private static Network Elected(Func<ReplicaOptions, ReplicaOptions>? configure = null)
    {
        var net = Network.Create(3, configure);
        net.Campaign(1);
        net.Stabilize();
        return net;
    }

    [Fact]
    public void ReadsQueuedDuringOneRoundAreReleasedTogetherByTheNextRound()
    {
        var net = Elected();
        var before = net.Sent.Count;
        net.ReadIndex(1, 100);          // starts round 1
        net.ReadIndex(1, 101);          // wait for round 2
        net.ReadIndex(1, 102);
        net.Stabilize();
        var rounds = net.Sent.Skip(before).Where(m => m.Type == MessageType.Heartbeat).Select(m => m.Context).Distinct().ToList();
        Assert.Equal(2, rounds.Count);
        Assert.Equal(new[] { 100UL, 101UL, 102UL }, net[1].ReadStates.Select(r => r.Context));
        Assert.All(net[1].ReadStates, r => Assert.Equal(net[1].Replica.Committed, r.Index));
        // 101 and 102 came out of the same Ready.
        Assert.Contains(net[1].Readies, rd => rd.ReadStates.Select(r => r.Context).SequenceEqual(new[] { 101UL, 102UL }));
    }

    [Fact]
    public void ReadNotReleasedWithoutQuorumAcks()
    {
        var net = Elected();
        net.Isolate(2); net.Isolate(3);
        net.ReadIndex(1, 7);
        net.Stabilize();
        Assert.Empty(net[1].ReadStates);
        net.Recover();
        net.Tick(1);                    // the next heartbeat carries the round again
        net.Stabilize();
        Assert.Equal(7UL, Assert.Single(net[1].ReadStates).Context);
    }

    [Fact]
    public void FollowerReadGoesThroughLeader()
    {
        var net = Elected();
        Assert.True(net.ReadIndex(2, 200));
        Assert.Contains(net.InFlight, m => m is { Type: MessageType.ReadIndex, From: 2, To: 1, Context: 200 });
        net.Stabilize();
        var rs = Assert.Single(net[2].ReadStates);
        Assert.Equal(new ReadState(net[1].Replica.Committed, 200), rs);
        Assert.Empty(net[1].ReadStates);
    }

    [Fact]
    public void ReadRefusedWithoutLeader()
    {
        var net = Network.Create(3);
        Assert.False(net.ReadIndex(1, 1));
    }

    [Fact]
    public void NewLeaderServesNoReadBeforeCommittingEntryOfItsTerm()
    {
        var net = Network.Create(3);
        net.Campaign(1);
        net.Deliver(); net.Deliver();   // leader; its empty entry is not committed yet
        Assert.Equal(ReplicaRole.Leader, net[1].Replica.Role);
        net.ReadIndex(1, 9);
        Assert.DoesNotContain(net.InFlight, m => m.Type == MessageType.Heartbeat && m.Context != 0);
        Assert.Empty(net[1].ReadStates);
        net.Stabilize();
        var rs = Assert.Single(net[1].ReadStates);
        Assert.Equal(4UL, rs.Index);    // its own empty entry
    }

    [Fact]
    public void SingleVoterReleasesReadsAtOnce()
    {
        var net = Network.Create(1);
        net.Campaign(1);
        net.Stabilize();
        net.ReadIndex(1, 5);
        Assert.Equal(5UL, Assert.Single(net[1].ReadStates).Context);
    }

    [Fact]
    public void LeaseBasedReadsRequireCheckQuorum()
    {
        var bad = Network.DefaultOptions(1) with { ReadMode = ReadMode.LeaseBased, CheckQuorum = false };
        Assert.Throws<ArgumentException>(bad.Validate);
        Assert.Throws<ArgumentException>(() => new Replica(bad, Bootstrap.Storage(1)));
        (bad with { CheckQuorum = true }).Validate();
    }

    [Fact]
    public void LeaseBasedReadsNeedNoRoundWhileTheLeaderHeardAMajorityRecently()
    {
        var net = Elected(o => o with { ReadMode = ReadMode.LeaseBased, CheckQuorum = true });
        net.Tick(1); net.Stabilize();
        var before = net.Sent.Count;
        net.ReadIndex(1, 3);
        Assert.Equal(3UL, Assert.Single(net[1].ReadStates).Context);
        Assert.DoesNotContain(net.Sent.Skip(before), m => m.Type == MessageType.Heartbeat);
    }

    [Fact]
    public void ReadsPendingOnADeposedLeaderAreNeverReleased()
    {
        var net = Elected();
        net.Isolate(1);
        net.ReadIndex(1, 4);
        net.Campaign(2);
        net.Stabilize();
        net.Recover();
        net.Tick(2);
        net.Stabilize();
        Assert.Equal(ReplicaRole.Follower, net[1].Replica.Role);
        Assert.Empty(net[1].ReadStates);
    }
}
