using System.Text;
using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Raft.Harness;

/// <summary>
/// How a test cluster starts. Each of the N voters' storage holds N committed <c>AddVoter</c> entries at
/// indexes 1..N, term 1, and HardState{Term=1, Vote=0, Commit=N} — the same log on every member, as if a
/// leader of term 1 had replicated them (no snapshot, so no membership outside the log). The harness drains
/// the first Ready at once, which applies them; this works whether the replica takes a config change into
/// effect when it is appended (thesis §4.1) or when it is applied.
/// A test may give a member extra entries after index N (with the terms it lists) to set up a conflict.
/// </summary>
public static class Bootstrap
{
    public static Entry VoterEntry(ulong index, ulong nodeId) =>
        new(index, 1, EntryType.ConfigChange, new ConfigChange(ConfigChangeType.AddVoter, nodeId).Encode());

    /// <summary>Storage for one of <paramref name="voters"/> voters, optionally with extra entries of the given terms.</summary>
    public static MemoryLogStorage Storage(int voters, IReadOnlyList<ulong>? extraTerms = null, ulong? term = null)
    {
        var storage = new MemoryLogStorage();
        var entries = new List<Entry>();
        for (var i = 1; i <= voters; i++) entries.Add(VoterEntry((ulong)i, (ulong)i));
        var last = 1UL;
        foreach (var t in extraTerms ?? Array.Empty<ulong>())
        {
            var index = (ulong)entries.Count + 1;
            entries.Add(new Entry(index, t, EntryType.Normal, Encoding.UTF8.GetBytes($"e{index}t{t}")));
            last = Math.Max(last, t);
        }
        storage.Save(new HardState(term ?? last, 0, (ulong)voters), entries);
        return storage;
    }
}
