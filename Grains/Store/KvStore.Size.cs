namespace Coordinator.Grains.Store;

public sealed partial class KvStore
{
    /// <summary>Fixed cost counted per retained record and per key, on top of key and value bytes (an
    /// estimate of index and record overhead, so many tiny values still count).</summary>
    private const long RecordOverheadBytes = 48;
    private const long KeyOverheadBytes = 64;

    private long _sizeBytes; // guarded by _lock: what MeasureBytes() computes, kept up to date by every write and compaction

    /// <summary>
    /// An estimate of the store's size in bytes: every retained revision of every key (keys, values and a
    /// fixed overhead each). This is what --quota-backend-bytes is compared against; it shrinks after a
    /// compaction, as etcd's in-use size does after compaction and defragmentation. Kept up to date by every
    /// write (O(1) to read), so it can be polled without walking the store.
    /// </summary>
    public long SizeBytes
    {
        get
        {
            _lock.EnterReadLock();
            try { return _sizeBytes; }
            finally { _lock.ExitReadLock(); }
        }
    }

    /// <summary>The same estimate as <see cref="SizeBytes"/>, computed by walking the whole index.</summary>
    public long MeasureBytes()
    {
        _lock.EnterReadLock();
        try { return WalkSize(); }
        finally { _lock.ExitReadLock(); }
    }

    private long WalkSize()
    {
        long total = 0;
        foreach (var history in _index.All())
        {
            total += KeySize(history.Key);
            foreach (ref readonly var record in history.Records) total += RecordSize(record);
        }
        return total;
    }

    /// <summary>For tests: the arena's live bytes and the value bytes the retained records hold (always equal),
    /// and the bytes of value chunks held.</summary>
    internal (long ArenaLive, long Retained, long ChunkBytes) MeasureValueBytes()
    {
        _lock.EnterReadLock();
        try
        {
            long retained = 0;
            foreach (var history in _index.All())
            {
                foreach (ref readonly var record in history.Records) retained += record.Value.Length;
            }
            return (_values.LiveBytes, retained, _values.ChunkBytes);
        }
        finally { _lock.ExitReadLock(); }
    }

    private static long KeySize(byte[] key) => KeyOverheadBytes + key.Length;

    private static long RecordSize(in KeyRecord record) => RecordOverheadBytes + record.Value.Length;
}
