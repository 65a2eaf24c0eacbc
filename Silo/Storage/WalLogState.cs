using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>
/// The log as reads see it, holding only durable writes: the HardState, the snapshot's metadata (its data
/// stays in the snapshot file), the location of every entry above the snapshot and the newest entries'
/// payloads. Not thread-safe: the WAL guards it with its state lock; only the writer loop changes it.
/// Invariants: Locations.First = Snapshot.Index + 1; Cache covers [Cache.First, Locations.End) with
/// Locations.First &lt;= Cache.First.
/// </summary>
internal sealed class WalLogState
{
    public WalLogState(HardState hardState, SnapshotMetadata snapshot, IndexedRun<EntryLocation> locations, long cacheBytes)
    {
        if (locations.First != snapshot.Index + 1)
            throw new ArgumentException($"locations start at {locations.First}, snapshot is at {snapshot.Index}", nameof(locations));
        HardState = hardState;
        Snapshot = snapshot;
        Locations = locations;
        Cache = new EntryCache(cacheBytes, locations.End);
    }

    public HardState HardState { get; private set; }
    public SnapshotMetadata Snapshot { get; private set; }
    public IndexedRun<EntryLocation> Locations { get; }
    public EntryCache Cache { get; }

    public ulong FirstIndex => Snapshot.Index + 1;
    public ulong LastIndex => Locations.End - 1;

    public bool TryTerm(ulong index, out ulong term)
    {
        if (index == Snapshot.Index) { term = Snapshot.Term; return true; }
        if (index < Snapshot.Index || index > LastIndex) { term = 0; return false; }
        term = Locations[index].Term;
        return true;
    }

    /// <summary>One past the last entry of [lo, hi) that fits in <paramref name="maxBytes"/> (at least lo + 1).</summary>
    public ulong EndWithin(ulong lo, ulong hi, long maxBytes)
    {
        long size = 0;
        for (var i = lo; i < hi; i++)
        {
            size += Locations[i].Size;
            if (i > lo && size > maxBytes) return i;
        }
        return hi;
    }

    /// <summary>Records a durable Save: entries[start..] (validated by the writer to start at or below
    /// LastIndex + 1 and above the snapshot) were written at <paramref name="locations"/>.</summary>
    public void Save(HardState? hardState, IReadOnlyList<Entry> entries, int start, ReadOnlySpan<EntryLocation> locations)
    {
        if (start < entries.Count)
        {
            Locations.TruncateFrom(entries[start].Index);
            foreach (var location in locations) Locations.Add(location);
            Cache.Write(entries, start);
        }
        if (hardState is { } hs) HardState = hs;
    }

    /// <summary>The entries above the snapshot were copied (carried forward) to <paramref name="locations"/>, in index order.</summary>
    public void Relocate(ReadOnlySpan<EntryLocation> locations)
    {
        if (locations.Length != Locations.Count)
            throw new ArgumentException($"{locations.Length} locations for {Locations.Count} entries", nameof(locations));
        var first = Locations.First;
        Locations.Reset(first);
        foreach (var location in locations) Locations.Add(location);
    }

    /// <summary>A received snapshot replaced the whole log.</summary>
    public void ReplaceWithSnapshot(SnapshotMetadata snapshot)
    {
        Snapshot = snapshot;
        Locations.Reset(snapshot.Index + 1);
        Cache.Clear(snapshot.Index + 1);
    }

    /// <summary>A snapshot of our own state machine (at or below LastIndex) compacted the log below it.</summary>
    public void Compact(SnapshotMetadata snapshot)
    {
        Snapshot = snapshot;
        Locations.DropBefore(snapshot.Index + 1);
        Cache.DropBefore(snapshot.Index + 1);
    }
}
