namespace Coordinator.Grains.Raft;

/// <summary>
/// Entries (and at most one snapshot) the replica has accepted but the host has not yet persisted.
/// Invariant: Entries[i].Index == Offset + i; if a snapshot is pending, Offset == snapshot index + 1.
/// </summary>
internal sealed class UnstableLog
{
    public Snapshot? Snapshot;
    public readonly List<Entry> Entries = new();
    public ulong Offset;

    public UnstableLog(ulong offset) => Offset = offset;

    public ulong? MaybeFirstIndex => Snapshot is { } s ? s.Metadata.Index + 1 : null;

    public ulong? MaybeLastIndex =>
        Entries.Count > 0 ? Offset + (ulong)Entries.Count - 1 : Snapshot?.Metadata.Index;

    public bool TryTerm(ulong index, out ulong term)
    {
        term = 0;
        if (index < Offset)
        {
            if (Snapshot is { } s && s.Metadata.Index == index) { term = s.Metadata.Term; return true; }
            return false;
        }
        if (MaybeLastIndex is not { } last || index > last) return false;
        term = Entries[(int)(index - Offset)].Term;
        return true;
    }

    /// <summary>Entries up to (index, term) are now durable; a mismatched term means they were replaced meanwhile.</summary>
    public void StableTo(ulong index, ulong term)
    {
        if (!TryTerm(index, out var t) || t != term || index < Offset) return;
        var n = (int)(index + 1 - Offset);
        Entries.RemoveRange(0, n);
        Offset = index + 1;
    }

    public void StableSnapshotTo(ulong index)
    {
        if (Snapshot is { } s && s.Metadata.Index == index) Snapshot = null;
    }

    public void Restore(Snapshot snapshot)
    {
        Offset = snapshot.Metadata.Index + 1;
        Entries.Clear();
        Snapshot = snapshot;
    }

    public void TruncateAndAppend(IReadOnlyList<Entry> entries)
    {
        var after = entries[0].Index;
        var end = Offset + (ulong)Entries.Count;
        if (after == end) { }
        else if (after <= Offset) { Offset = after; Entries.Clear(); }
        else Entries.RemoveRange((int)(after - Offset), (int)(end - after));
        Entries.AddRange(entries);
    }

    /// <summary>Entries [lo, hi); the caller guarantees Offset &lt;= lo &lt;= hi &lt;= last + 1.</summary>
    public IEnumerable<Entry> Slice(ulong lo, ulong hi) =>
        Entries.Skip((int)(lo - Offset)).Take((int)(hi - lo));
}
