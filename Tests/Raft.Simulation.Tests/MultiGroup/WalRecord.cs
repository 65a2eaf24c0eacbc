using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Simulation;

/// <summary>One record of a member's shared write-ahead log: a snapshot, one entry or a HardState, tagged with
/// the group it belongs to. A Ready becomes its snapshot, then its entries, then its HardState, in that order,
/// so any prefix of the log leaves each group's disk consistent (no gap, commit never past the last entry).</summary>
internal sealed record WalRecord(ulong Group, Snapshot? Snapshot, Entry? Entry, HardState? HardState)
{
    public static List<WalRecord> Of(ulong group, Ready rd)
    {
        var records = new List<WalRecord>(rd.Entries.Count + 2);
        if (rd.Snapshot is { } snap) records.Add(new WalRecord(group, snap, null, null));
        foreach (var e in rd.Entries) records.Add(new WalRecord(group, null, e, null));
        if (rd.HardState is { } hs) records.Add(new WalRecord(group, null, null, hs));
        return records;
    }

    public void ApplyTo(MemoryLogStorage disk)
    {
        if (Snapshot is { } snap) disk.ApplySnapshot(snap);
        else if (Entry is { } e) disk.Save(null, new[] { e });
        else disk.Save(HardState, Array.Empty<Entry>());
    }
}
