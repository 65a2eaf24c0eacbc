using Coordinator.Grains.Raft;
using Coordinator.Tests.Raft.Harness;
using Xunit;

namespace Coordinator.Tests.Raft.Paper;

/// <summary>Raft §7: log compaction, InstallSnapshot, and restarting from snapshot + log + HardState.</summary>
public sealed class SnapshotTests
{
    private static Network ElectedWithLaggingFollower3(int entries = 5)
    {
        var net = Network.Create(3);
        net.Campaign(1);
        net.Stabilize();
        net.Isolate(3);
        for (var i = 0; i < entries; i++) net.Propose(1, $"e{i}");
        net.Stabilize();
        return net;
    }

    [Fact]
    public void LeaderCompactsLogIntoSnapshot()
    {
        var net = ElectedWithLaggingFollower3();
        net.Compact(1);
        var s = net[1].Storage;
        Assert.Equal(net[1].AppliedIndex, s.Snapshot.Metadata.Index);
        Assert.Equal(s.Snapshot.Metadata.Index + 1, s.FirstIndex);
        Assert.Equal("voters=(1,2,3)", s.Snapshot.Metadata.Membership.ToString());
        Assert.False(net[1].Replica.Log.TryTerm(1, out _));
    }

    [Fact]
    public void LaggingFollowerReceivesSnapshotAndContinues()
    {
        var net = ElectedWithLaggingFollower3();
        net.Compact(1);
        net.Recover();
        net.Tick(1);
        net.Stabilize();
        Assert.Contains(net.Sent, m => m is { Type: MessageType.InstallSnapshot, To: 3 });
        Assert.Equal(net[1].Storage.Snapshot.Metadata.Index, net[3].Storage.Snapshot.Metadata.Index);
        Assert.Equal(net[1].Applied, net[3].Applied);
        var r = net.Propose(1, "after");
        net.Stabilize();
        Assert.Equal(r.Index, net[3].AppliedIndex);
        Assert.Equal(net[1].Applied, net[3].Applied);
        Assert.Equal(1, net.Sent.Count(m => m.Type == MessageType.InstallSnapshot));
    }

    [Fact]
    public void LostSnapshotIsResentAfterElectionTimeout()
    {
        var net = ElectedWithLaggingFollower3();
        net.Compact(1);
        net.Recover();
        net.DropIf = m => m.Type == MessageType.InstallSnapshot;
        net.Tick(1);
        net.Stabilize();
        Assert.Equal(ProgressState.Snapshot, net[1].Replica.Status().Progress[3].State);
        net.DropIf = null;
        for (var i = 0; i < 12; i++) { net.Tick(1); net.Stabilize(); }
        Assert.Equal(2, net.Sent.Count(m => m.Type == MessageType.InstallSnapshot));
        Assert.Equal(net[1].AppliedIndex, net[3].AppliedIndex);
    }

    [Fact]
    public void SnapshotCoveredByFollowerLogOnlyAdvancesCommit()
    {
        var net = ElectedWithLaggingFollower3();
        var snap = new Snapshot(new SnapshotMetadata(4, 2, Membership.OfVoters(1, 2, 3)), ReadOnlyMemory<byte>.Empty);
        net.Step(new Message { Group = 1, Type = MessageType.InstallSnapshot, From = 1, To = 2, Term = 2, Snapshot = snap });
        Assert.True(net[2].Storage.Snapshot.IsEmpty);   // 2 is past 4 already: nothing installed
    }

    [Fact]
    public void RestartFromStorage_SnapshotLogAndHardStateResume()
    {
        var net = ElectedWithLaggingFollower3();
        net.Compact(1, 6);                       // snapshot at 6, entries 7..9 stay in the log
        var before = net[1].Replica.Status();
        net.Restart(1, keepStateMachine: false); // state machine rebuilt from the snapshot, 7..9 applied again
        var after = net[1].Replica.Status();
        Assert.Equal((before.Term, before.Vote, before.Committed, before.LastIndex), (after.Term, after.Vote, after.Committed, after.LastIndex));
        Assert.Equal(before.Membership, after.Membership);
        Assert.Equal(ReplicaRole.Follower, after.Role);
        Assert.Equal(before.Committed, net[1].AppliedIndex);
        Assert.Equal(net[2].Applied, net[1].Applied);
        // The cluster goes on: a new election (2 can win with 1's vote), and 3 catches up.
        net.Recover();
        for (var i = 0; i < 40 && net.Leader() is null; i++) net.TickAll(1);
        var leader = net.Leader()!;
        var r = net.Propose(leader.Id, "after-restart");
        net.Stabilize();
        Assert.All(net.Nodes, n => Assert.Equal(r.Index, n.AppliedIndex));
        Assert.Equal(net[1].Applied, net[3].Applied);
    }

    [Fact]
    public void RestartKeepsVoteOfCurrentTerm()
    {
        var net = Network.Create(3);
        net.Step(new Message { Group = 1, Type = MessageType.Vote, From = 2, To = 1, Term = 5, Index = 3, LogTerm = 1 });
        net.Restart(1);
        net.Step(new Message { Group = 1, Type = MessageType.Vote, From = 3, To = 1, Term = 5, Index = 3, LogTerm = 1 });
        Assert.True(net.InFlight.Last().Reject);
        Assert.Equal(2UL, net[1].Replica.Status().Vote);
    }
}
