namespace Coordinator.Grains.Raft;

/// <summary>
/// The replica's view of its log: what storage holds plus the unstable tail.
/// Invariant: Applied &lt;= Committed &lt;= LastIndex; FirstIndex - 1 &lt;= Applied.
/// </summary>
internal sealed class RaftLog
{
    private readonly IRaftLogStorage _storage;
    private readonly UnstableLog _unstable;

    public ulong Committed { get; private set; }
    public ulong Applied { get; private set; }

    public RaftLog(IRaftLogStorage storage)
    {
        _storage = storage;
        _unstable = new UnstableLog(storage.LastIndex + 1);
        Committed = Applied = storage.FirstIndex - 1;
    }

    public UnstableLog Unstable => _unstable;
    public ulong FirstIndex => _unstable.MaybeFirstIndex ?? _storage.FirstIndex;
    public ulong LastIndex => _unstable.MaybeLastIndex ?? _storage.LastIndex;
    public ulong LastTerm => Term(LastIndex);
    /// <summary>The last index known durable on this replica's own disk.</summary>
    public ulong StableLastIndex => _unstable.Snapshot is null ? _unstable.Offset - 1 : _storage.LastIndex;

    public bool TryTerm(ulong index, out ulong term)
    {
        term = 0;
        if (index + 1 < FirstIndex || index > LastIndex) return false;
        if (_unstable.TryTerm(index, out term)) return true;
        return _storage.TryTerm(index, out term);
    }

    /// <summary>Term at index, or 0 when compacted or beyond the log.</summary>
    public ulong Term(ulong index) => TryTerm(index, out var t) ? t : 0;

    public bool MatchTerm(ulong index, ulong term) => TryTerm(index, out var t) && t == term;

    /// <summary>Raft §5.4.1: is a log ending at (lastIndex, lastTerm) at least as up to date as ours?</summary>
    public bool IsUpToDate(ulong lastIndex, ulong lastTerm) =>
        lastTerm > LastTerm || (lastTerm == LastTerm && lastIndex >= LastIndex);

    /// <summary>Appends entries following (index, logTerm) if our log matches there; returns the last new index.</summary>
    public bool TryAppend(ulong index, ulong logTerm, ulong leaderCommit, IReadOnlyList<Entry> entries,
        out ulong lastNew, out IReadOnlyList<Entry> appended)
    {
        lastNew = 0;
        appended = Array.Empty<Entry>();
        if (!MatchTerm(index, logTerm)) return false;
        lastNew = index + (ulong)entries.Count;
        var conflict = FindConflict(entries);
        if (conflict != 0)
        {
            if (conflict <= Committed)
                throw new InvalidOperationException($"entry {conflict} conflicts with committed entry (committed={Committed})");
            var from = (int)(conflict - (index + 1));
            appended = from == 0 ? entries : entries.Skip(from).ToList();
            Append(appended);
        }
        CommitTo(Math.Min(leaderCommit, lastNew));
        return true;
    }

    /// <summary>Index of the first entry whose term differs from ours (or that we lack); 0 when all match.</summary>
    private ulong FindConflict(IReadOnlyList<Entry> entries)
    {
        foreach (var e in entries)
            if (!MatchTerm(e.Index, e.Term)) return e.Index;
        return 0;
    }

    /// <summary>The largest index &lt;= <paramref name="index"/> whose term is &lt;= <paramref name="term"/>
    /// (the fast back-off hint): every entry after it can be skipped by a leader probing with that term.</summary>
    public ulong FindConflictByTerm(ulong index, ulong term)
    {
        index = Math.Min(index, LastIndex);
        while (index > 0)
        {
            if (!TryTerm(index, out var t)) break; // compacted: cannot look further back
            if (t <= term) break;
            index--;
        }
        return index;
    }

    public ulong Append(IReadOnlyList<Entry> entries)
    {
        if (entries.Count == 0) return LastIndex;
        if (entries[0].Index - 1 < Committed)
            throw new InvalidOperationException($"appending at {entries[0].Index} would overwrite committed {Committed}");
        _unstable.TruncateAndAppend(entries);
        return LastIndex;
    }

    public void CommitTo(ulong index)
    {
        if (index <= Committed) return;
        if (index > LastIndex) throw new InvalidOperationException($"commit {index} beyond last index {LastIndex}");
        Committed = index;
    }

    /// <summary>Leader rule (§5.4.2): only an entry of the current term commits by counting replicas.</summary>
    public bool MaybeCommit(ulong index, ulong term)
    {
        if (index > Committed && Term(index) == term) { CommitTo(index); return true; }
        return false;
    }

    public void AppliedTo(ulong index)
    {
        if (index == 0) return;
        if (index > Committed || index < Applied)
            throw new InvalidOperationException($"applied {index} outside [{Applied}, {Committed}]");
        Applied = index;
    }

    public void StableTo(ulong index, ulong term) => _unstable.StableTo(index, term);
    public void StableSnapshotTo(ulong index) => _unstable.StableSnapshotTo(index);

    public IReadOnlyList<Entry> UnstableEntries => _unstable.Entries;
    public Snapshot? UnstableSnapshot => _unstable.Snapshot;

    public bool HasNextCommitted => Committed > Math.Max(Applied, FirstIndex - 1);

    /// <summary>Committed entries not yet handed out for applying, within a byte budget.</summary>
    public IReadOnlyList<Entry> NextCommitted(long maxBytes)
    {
        var lo = Math.Max(Applied + 1, FirstIndex);
        return Committed + 1 > lo ? Slice(lo, Committed + 1, maxBytes) : Array.Empty<Entry>();
    }

    /// <summary>Entries [lo, hi) within a byte budget (at least one); null if lo is compacted away.</summary>
    public IReadOnlyList<Entry>? TrySlice(ulong lo, ulong hi, long maxBytes)
    {
        if (lo < FirstIndex) return null;
        return Slice(lo, Math.Min(hi, LastIndex + 1), maxBytes);
    }

    private IReadOnlyList<Entry> Slice(ulong lo, ulong hi, long maxBytes)
    {
        if (lo >= hi) return Array.Empty<Entry>();
        var result = new List<Entry>();
        var offset = _unstable.Offset;
        if (lo < offset)
        {
            result.AddRange(_storage.Entries(lo, Math.Min(hi, offset), maxBytes));
            if ((ulong)result.Count < Math.Min(hi, offset) - lo) return result; // hit the byte limit in storage
        }
        if (hi > offset)
        {
            long size = 0;
            foreach (var e in result) size += e.Size;
            foreach (var e in _unstable.Slice(Math.Max(lo, offset), hi))
            {
                size += e.Size;
                if (result.Count > 0 && size > maxBytes) break;
                result.Add(e);
            }
        }
        return result;
    }

    public Snapshot CurrentSnapshot => _unstable.Snapshot ?? _storage.Snapshot;

    /// <summary>Replaces the log with a snapshot (the host persists it from the next Ready).</summary>
    public void Restore(Snapshot snapshot)
    {
        Committed = snapshot.Metadata.Index;
        _unstable.Restore(snapshot);
    }

    /// <summary>The host applied the snapshot it was handed: it is now the applied state.</summary>
    public void AppliedSnapshot(ulong index)
    {
        if (index > Applied) Applied = index;
    }

    public override string ToString() => $"first={FirstIndex} last={LastIndex} committed={Committed} applied={Applied}";
}
