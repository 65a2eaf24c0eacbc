using Coordinator.Grains.Raft;
using Coordinator.Tests.Raft.Harness;
using Xunit;

namespace Coordinator.Tests.Raft.Paper;

/// <summary>
/// Raft §5 figure 3: the five safety properties, each checked over seeded random runs (loss, duplication,
/// reordering, partitions, restarts) followed by a healed phase.
/// </summary>
public sealed class SafetyPropertiesTests
{
    public static TheoryData<int> Seeds => new() { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void ElectionSafety_AtMostOneLeaderPerTerm(int seed)
    {
        var chaos = new Chaos(seed);
        var leaders = new Dictionary<ulong, ulong>();
        chaos.Observe = net =>
        {
            foreach (var n in net.Nodes.Where(n => n.Replica.Role == ReplicaRole.Leader))
                if (!leaders.TryAdd(n.Replica.Term, n.Id))
                    Assert.Equal(leaders[n.Replica.Term], n.Id);
        };
        chaos.Run();
        chaos.Heal();
        // Only a leader sends appends, heartbeats and snapshots: their senders per term tell every leader there was.
        foreach (var term in chaos.Net.Sent.Where(m => m.Type is MessageType.Append or MessageType.Heartbeat or MessageType.InstallSnapshot)
                     .GroupBy(m => m.Term))
            Assert.Single(term.Select(m => m.From).Distinct());
        Assert.NotEmpty(leaders);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void LeaderAppendOnly(int seed)
    {
        // The harness host throws if a leader's Ready rewrites an index it already persisted; in addition a
        // leader's log, observed while it stays leader of one term, only ever grows with the same prefix.
        var chaos = new Chaos(seed);
        var seen = new Dictionary<(ulong Id, ulong Term), List<Entry>>();
        chaos.Observe = net =>
        {
            foreach (var n in net.Nodes.Where(n => n.Replica.Role == ReplicaRole.Leader))
            {
                var log = n.LogEntries().ToList();
                if (seen.TryGetValue((n.Id, n.Replica.Term), out var before))
                    foreach (var e in before.Where(e => e.Index >= n.Replica.Log.FirstIndex))
                        Assert.Equal(e, log.Single(x => x.Index == e.Index));
                seen[(n.Id, n.Replica.Term)] = log;
            }
        };
        chaos.Run();
        chaos.Heal();
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void LogMatching_SameIndexAndTermMeansIdenticalPrefix(int seed)
    {
        var chaos = new Chaos(seed);
        chaos.Observe = CheckLogMatching;
        chaos.Run();
        chaos.Heal();
    }

    private static void CheckLogMatching(Network net)
    {
        var logs = net.Nodes.Select(n => n.LogEntries().ToDictionary(e => e.Index)).ToList();
        for (var a = 0; a < logs.Count; a++)
            for (var b = a + 1; b < logs.Count; b++)
            {
                var common = logs[a].Keys.Intersect(logs[b].Keys).OrderByDescending(i => i).ToList();
                var match = common.FirstOrDefault(i => logs[a][i].Term == logs[b][i].Term);
                if (match == 0) continue;
                foreach (var i in common.Where(i => i <= match))
                    Assert.Equal(logs[a][i], logs[b][i]);
            }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void LeaderCompleteness_LeaderHoldsEveryEntryCommittedInEarlierTerms(int seed)
    {
        var chaos = new Chaos(seed);
        // index → (entry, an upper bound of the term it was committed in: the highest term anyone had when it was first applied)
        var committed = new Dictionary<ulong, (Entry Entry, ulong Bound)>();
        chaos.Observe = net =>
        {
            var maxTerm = net.Nodes.Max(n => n.Replica.Term);
            foreach (var e in net.Nodes.SelectMany(n => n.Applied)) committed.TryAdd(e.Index, (e, maxTerm));
            foreach (var leader in net.Nodes.Where(n => n.Replica.Role == ReplicaRole.Leader))
            {
                var log = leader.Replica.Log;
                foreach (var (index, (entry, bound)) in committed)
                    if (leader.Replica.Term > bound && index >= log.FirstIndex)
                        Assert.True(log.MatchTerm(index, entry.Term), $"leader {leader.Id} of term {leader.Replica.Term} lacks committed {entry}");
            }
        };
        chaos.Run();
        chaos.Heal();
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void StateMachineSafety_NoTwoReplicasApplyDifferentEntriesAtAnIndex(int seed)
    {
        var chaos = new Chaos(seed);
        var applied = new Dictionary<ulong, Entry>();
        chaos.Observe = net =>
        {
            foreach (var e in net.Nodes.SelectMany(n => n.Applied))
                if (!applied.TryAdd(e.Index, e)) Assert.Equal(applied[e.Index], e);
        };
        chaos.Run();
        var leader = chaos.Heal();
        foreach (var n in chaos.Net.Nodes)
            Assert.Equal(leader.Applied.Select(e => e.Index), n.Applied.Select(e => e.Index));
    }
}
