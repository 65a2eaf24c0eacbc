using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>
/// The payloads of the newest entries: a contiguous suffix of the log, [<see cref="First"/>, log end),
/// whose total <see cref="Entry.Size"/> stays within a byte budget, except that the newest entry is always
/// kept. Older entries are read back from the segment files. Not thread-safe (the WAL's state lock guards it).
/// </summary>
internal sealed class EntryCache(long budgetBytes, ulong first)
{
    private readonly IndexedRun<Entry> _entries = new(first);

    /// <summary>Index of the oldest cached entry; the log's end when nothing is cached.</summary>
    public ulong First => _entries.First;

    /// <summary>Sum of the cached entries' <see cref="Entry.Size"/>.</summary>
    public long Bytes { get; private set; }

    public int Count => _entries.Count;

    public Entry this[ulong index] => _entries[index];

    /// <summary>Caches entries written at <paramref name="from"/>.. (from &lt;= the log's end), replacing any
    /// cached entry at or above <paramref name="from"/>, then evicts the oldest beyond the budget.</summary>
    public void Write(IReadOnlyList<Entry> entries, int start)
    {
        var from = entries[start].Index;
        if (from <= First) Clear(from);
        else
        {
            for (var i = from; i < _entries.End; i++) Bytes -= _entries[i].Size;
            _entries.TruncateFrom(from);
        }
        for (var i = start; i < entries.Count; i++)
        {
            _entries.Add(entries[i]);
            Bytes += entries[i].Size;
        }
        while (Bytes > budgetBytes && _entries.Count > 1) Evict(1);
    }

    /// <summary>Forgets entries below <paramref name="index"/> (a snapshot covers them).</summary>
    public void DropBefore(ulong index)
    {
        if (index >= _entries.End) Clear(index);
        else if (index > First) Evict((int)(index - First));
    }

    /// <summary>Empties the cache; the next entry written sits at <paramref name="next"/>.</summary>
    public void Clear(ulong next)
    {
        _entries.Reset(next);
        Bytes = 0;
    }

    private void Evict(int count)
    {
        for (var i = 0; i < count; i++) Bytes -= _entries[First + (ulong)i].Size;
        _entries.DropBefore(First + (ulong)count);
    }
}
