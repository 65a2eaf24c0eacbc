using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>
/// The payloads of the newest entries: a contiguous suffix of the log, [<see cref="First"/>, log end),
/// whose total <see cref="Entry.Size"/> stays within a byte budget, except that the newest entry is always
/// kept. Older entries are read back from the segment files. Not thread-safe (the WAL's state lock guards it).
/// Payloads are copied into large append-only chunks rather than kept as the written entries' own arrays:
/// the cache holds a second of entries under load, long enough for per-entry objects to be promoted and
/// then die in the oldest GC generation. Chunks are never reused, so a returned entry's data stays valid.
/// </summary>
internal sealed class EntryCache(long budgetBytes, ulong first)
{
    private const int ChunkBytes = 1 << 20;

    private readonly IndexedRun<CachedEntry> _entries = new(first);
    private byte[] _chunk = [];
    private int _used;

    /// <summary>Index of the oldest cached entry; the log's end when nothing is cached.</summary>
    public ulong First => _entries.First;

    /// <summary>Sum of the cached entries' <see cref="Entry.Size"/>.</summary>
    public long Bytes { get; private set; }

    public int Count => _entries.Count;

    public Entry this[ulong index]
    {
        get
        {
            var cached = _entries[index];
            return new Entry(index, cached.Term, cached.Type, cached.Chunk.AsMemory(cached.Offset, cached.Length));
        }
    }

    /// <summary>Caches entries written at <paramref name="from"/>.. (from &lt;= the log's end), replacing any
    /// cached entry at or above <paramref name="from"/>, then evicts the oldest beyond the budget.</summary>
    public void Write(IReadOnlyList<Entry> entries, int start)
    {
        var from = entries[start].Index;
        if (from <= First) Clear(from);
        else
        {
            for (var i = from; i < _entries.End; i++) Bytes -= Entry.SizeOf(_entries[i].Length);
            _entries.TruncateFrom(from);
        }
        for (var i = start; i < entries.Count; i++)
        {
            _entries.Add(Copy(entries[i]));
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
        for (var i = 0; i < count; i++) Bytes -= Entry.SizeOf(_entries[First + (ulong)i].Length);
        _entries.DropBefore(First + (ulong)count);
    }

    private CachedEntry Copy(Entry entry)
    {
        var length = entry.Data.Length;
        if (ChunkBytesLeft < length)
        {
            _chunk = GC.AllocateUninitializedArray<byte>(Math.Max(ChunkBytes, length));
            _used = 0;
        }
        entry.Data.Span.CopyTo(_chunk.AsSpan(_used));
        var cached = new CachedEntry(entry.Term, entry.Type, _chunk, _used, length);
        _used += length;
        return cached;
    }

    private int ChunkBytesLeft => _chunk.Length - _used;

    /// <summary>An entry's payload is Chunk[Offset..Offset + Length]; those bytes are never written again.</summary>
    private readonly record struct CachedEntry(ulong Term, EntryType Type, byte[] Chunk, int Offset, int Length);
}
