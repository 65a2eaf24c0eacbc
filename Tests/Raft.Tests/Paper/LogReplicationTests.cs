using Coordinator.Grains.Raft;
using Coordinator.Tests.Raft.Harness;
using Xunit;

namespace Coordinator.Tests.Raft.Paper;

/// <summary>Raft §5.3 (log replication), §5.4.2 (committing entries from previous terms), and the leader's
/// per-follower flow control (probe / replicate / snapshot, in-flight window, bytes per append).</summary>
public sealed class LogReplicationTests
{
    private static Network Elected(int n = 3, Func<ReplicaOptions, ReplicaOptions>? configure = null)
    {
        var net = Network.Create(n, configure);
        net.Campaign(1);
        net.Stabilize();
        Assert.Equal(ReplicaRole.Leader, net[1].Replica.Role);
        return net;
    }

    [Fact]
    public void LeaderCommitsOnceMajorityHasEntry_FollowersLearnCommitFromLeader()
    {
        var net = Elected(5);
        net.Isolate(4); net.Isolate(5);
        var r = net.Propose(1, "x");
        net.Stabilize();
        Assert.Equal(r.Index, net[1].Replica.Committed);
        Assert.Equal(r.Index, net[2].AppliedIndex);
        Assert.Equal(r.Index - 1, net[4].AppliedIndex);
        net.Isolate(3); // now only 1 and 2 of 5: no majority
        var r2 = net.Propose(1, "y");
        net.Stabilize();
        Assert.Equal(r.Index, net[1].Replica.Committed);
        Assert.True(r2.Index > net[1].Replica.Committed);
    }

    [Fact]
    public void FollowerRejectsAppendWithMismatchedPrevTerm()
    {
        var net = Network.Create(3, extraTerms: new Dictionary<ulong, ulong[]> { [2] = new ulong[] { 2 } }); // 2: 4/2
        net.Step(new Message
        {
            Group = 1, Type = MessageType.Append, From = 1, To = 2, Term = 3, Index = 4, LogTerm = 3,
            Entries = new[] { new Entry(5, 3) },
        });
        var reply = Assert.Single(net.InFlight);
        Assert.Equal(MessageType.AppendResponse, reply.Type);
        Assert.True(reply.Reject);
        Assert.Equal(4UL, reply.Index);
        Assert.Equal(4UL, net[2].Replica.LastIndex); // nothing appended
    }

    [Fact]
    public void FollowerDeletesConflictingSuffixAndAppends()
    {
        var net = Network.Create(3, extraTerms: new Dictionary<ulong, ulong[]> { [2] = new ulong[] { 2, 2, 2 } }); // 2: 4..6 term 2
        net.Step(new Message
        {
            Group = 1, Type = MessageType.Append, From = 1, To = 2, Term = 3, Index = 4, LogTerm = 2,
            Entries = new[] { new Entry(5, 3) },
        });
        Assert.False(Assert.Single(net.InFlight).Reject);
        Assert.Equal(new[] { new Entry(5, 3) }, net[2].LogEntries().Skip(4));
        Assert.Equal(5UL, net[2].Storage.LastIndex);
    }

    [Fact]
    public void FastBackoff_ConflictHintSkipsWholeTerm()
    {
        // 3 led term 2 and wrote 50 entries nobody else got; 1 and 2 then wrote 4..6 in term 3.
        var net = Network.Create(3, extraTerms: new Dictionary<ulong, ulong[]>
        {
            [1] = new ulong[] { 3, 3, 3 },
            [2] = new ulong[] { 3, 3, 3 },
            [3] = Enumerable.Repeat(2UL, 50).ToArray(),
        });
        net.Campaign(1); // term 4
        net.Stabilize();
        Assert.Equal(ReplicaRole.Leader, net[1].Replica.Role);
        var rejects = net.Sent.Where(m => m is { Type: MessageType.AppendResponse, Reject: true, From: 3 }).ToList();
        // One rejection: "not at 6; my entries up to 6 are of term 2" → the leader skips its term-3 run and probes at 3.
        var reject = Assert.Single(rejects);
        Assert.Equal((6UL, 2UL), (reject.RejectHint, reject.LogTerm));
        Assert.Contains(net.Sent, m => m is { Type: MessageType.Append, To: 3, Index: 3, LogTerm: 1 });
        Assert.Equal(net[1].LogEntries(), net[3].LogEntries());
        Assert.Equal(7UL, net[3].Storage.LastIndex);
    }

    [Fact]
    public void HeartbeatCarriesCommitIndex()
    {
        var net = Elected();
        net.Isolate(3);
        net.Propose(1, "a");
        net.Propose(1, "b");
        net.Stabilize();
        net.Recover();
        net.Tick(1);
        var beats = net.InFlight.Where(m => m.Type == MessageType.Heartbeat).ToDictionary(m => m.To);
        // min(match, commit): never tell a follower to commit entries it may not have.
        Assert.Equal(6UL, beats[2].Commit);
        Assert.Equal(4UL, beats[3].Commit);
    }

    [Fact]
    public void CommitOnlyCurrentTermEntriesByCounting_Figure8()
    {
        // Figure 8 (c): S1 leads again (term 4) with 6/2 that S2 also has; S5 holds 6/3 from its own term.
        // Appends carry one entry (max bytes), so S3 first acks 6 alone: 6/2 is then on S1, S2, S3 — a
        // majority — but must not be committed by counting, since S5 could still win and overwrite it (d).
        var net = Network.Create(5, o => o with { MaxBytesPerAppend = 1 }, new Dictionary<ulong, ulong[]>
        {
            [1] = new ulong[] { 2 }, [2] = new ulong[] { 2 }, [5] = new ulong[] { 3 },
        }, hardStateTerms: new Dictionary<ulong, ulong> { [1] = 3, [2] = 3, [3] = 3, [4] = 3, [5] = 3 });
        net.Isolate(4); net.Isolate(5);
        net.Campaign(1);
        var commits = new List<ulong>();
        var sawOldTermEntryOnMajority = false;
        while (net.InFlight.Count > 0)
        {
            net.Deliver();
            commits.Add(net[1].Replica.Committed);
            var status = net[1].Replica.Status();
            if (status.Role == ReplicaRole.Leader && status.Progress[3].Match == 6 && status.Progress[2].Match >= 6)
            {
                sawOldTermEntryOnMajority = true;
                Assert.Equal(5UL, net[1].Replica.Committed);
            }
        }
        Assert.True(sawOldTermEntryOnMajority);
        Assert.Equal(4UL, net[1].Replica.Term);
        Assert.DoesNotContain(6UL, commits);              // never committed 6 on its own
        Assert.Equal(7UL, net[1].Replica.Committed);      // 7/4 committed, and 6/2 with it (indirectly)
        Assert.Equal(new Entry(7, 4), net[3].Applied[^1]);
    }

    [Fact]
    public void ProgressMovesProbeToReplicateOnFirstAck_AndBackToProbeOnReject()
    {
        var net = Network.Create(3);
        net.Campaign(1);
        net.Deliver(); net.Deliver(); // 1 leads; appends in flight
        Assert.Equal(ProgressState.Probe, net[1].Replica.Status().Progress[2].State);
        net.Stabilize();
        Assert.Equal(ProgressState.Replicate, net[1].Replica.Status().Progress[2].State);
        // 2 loses its tail (a reject arrives): back to probing from match+1.
        net.Step(new Message { Group = 1, Type = MessageType.AppendResponse, From = 2, To = 1, Term = 2, Index = 9, Reject = true, RejectHint = 3, LogTerm = 1 });
        var p = net[1].Replica.Status().Progress[2];
        Assert.Equal(ProgressState.Probe, p.State);
        Assert.True(p.Match + 1 == p.Next, p.ToString());
        net.Stabilize();
        Assert.Equal(ProgressState.Replicate, net[1].Replica.Status().Progress[2].State);
    }

    [Fact]
    public void ProgressEntersSnapshotWhenEntriesAreCompacted_AndReplicatesAfterInstall()
    {
        var net = Elected();
        net.Isolate(3);
        for (var i = 0; i < 5; i++) net.Propose(1, $"e{i}");
        net.Stabilize();
        net.Compact(1);
        net.Recover();
        net.Tick(1);
        // heartbeat → response → the leader's optimistic append → 3 rejects → the leader finds the entries compacted
        for (var i = 0; i < 5 && !net.InFlight.Any(m => m.Type == MessageType.InstallSnapshot); i++) net.Deliver();
        Assert.Contains(net.InFlight, m => m.Type == MessageType.InstallSnapshot && m.To == 3);
        Assert.Equal(ProgressState.Snapshot, net[1].Replica.Status().Progress[3].State);
        net.Stabilize();
        var p = net[1].Replica.Status().Progress[3];
        Assert.Equal(ProgressState.Replicate, p.State);
        Assert.Equal(net[1].Replica.LastIndex, p.Match);
    }

    [Fact]
    public void InflightWindowBounded()
    {
        var net = Elected(configure: o => o with { MaxInflightAppends = 2 });
        net.DropIf = m => m.From == 2 && m.To == 1;    // 2 receives but its acks are lost
        var before = net.Sent.Count;
        for (var i = 0; i < 6; i++) { net.Propose(1, $"e{i}"); net.Stabilize(); }
        var appendsTo2 = net.Sent.Skip(before).Count(m => m.Type == MessageType.Append && m.To == 2 && m.Entries.Count > 0);
        Assert.Equal(2, appendsTo2);
        Assert.Equal(2, net[1].Replica.Status().Progress[2].Inflights.Count);
        Assert.Equal(net[1].Replica.LastIndex, net[1].Replica.Committed); // 3 still makes a majority
        // Acks flowing again free the window and 2 catches up.
        net.Recover();
        net.Tick(1);
        net.Stabilize();
        Assert.Equal(net[1].Replica.LastIndex, net[2].AppliedIndex);
    }

    [Fact]
    public void MaxBytesPerAppendRespected()
    {
        var net = Elected(configure: o => o with { MaxBytesPerAppend = 100 });
        net.Isolate(3);
        for (var i = 0; i < 7; i++) net.Propose(1, "0123456789"); // 34 bytes each counted: two per append
        net.Stabilize();
        net.Recover();
        var before = net.Sent.Count;
        net.Tick(1);
        net.Stabilize();
        var appends = net.Sent.Skip(before).Where(m => m.Type == MessageType.Append && m.To == 3 && m.Entries.Count > 0).ToList();
        Assert.True(appends.Count >= 4);
        Assert.All(appends, m => Assert.True(m.Entries.Count == 1 || m.Entries.Sum(e => e.Size) <= 100, m.ToString()));
        Assert.Equal(net[1].AppliedIndex, net[3].AppliedIndex);
    }

    [Fact]
    public void FollowerForwardsProposalsToLeader()
    {
        var net = Elected();
        var r = net.Propose(2, "via-follower");
        Assert.Equal(ProposeOutcome.Forwarded, r.Outcome);
        Assert.Contains(net.InFlight, m => m is { Type: MessageType.Propose, From: 2, To: 1, Term: 0 });
        net.Stabilize();
        Assert.All(net.Nodes, n => Assert.Equal("via-follower"u8.ToArray(), n.Applied[^1].Data.ToArray()));
    }

    [Fact]
    public void ProposalWithoutLeaderIsDroppedNoLeader()
    {
        var net = Network.Create(3);
        Assert.Equal(ProposeOutcome.DroppedNoLeader, net.Propose(2, "x").Outcome);
        net.Isolate(1);
        net.Campaign(1);
        Assert.Equal(ProposeOutcome.DroppedNoLeader, net.Propose(1, "x").Outcome); // a candidate has no leader
        Assert.DoesNotContain(net.InFlight, m => m.Type == MessageType.Propose);
    }

    [Fact]
    public void BatchProposalAppendsConsecutiveEntries()
    {
        var net = Elected();
        var r = net[1].Replica.Propose(new ReadOnlyMemory<byte>[] { "a"u8.ToArray(), "b"u8.ToArray(), "c"u8.ToArray() });
        net.Drain(net[1]);
        net.Stabilize();
        Assert.Equal(7UL, r.Index);
        Assert.Equal(new ulong[] { 5, 6, 7 }, net[2].Applied.TakeLast(3).Select(e => e.Index));
    }
}
