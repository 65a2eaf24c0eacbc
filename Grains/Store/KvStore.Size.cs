namespace Coordinator.Grains.Store;

public sealed partial class KvStore
{
    /// <summary>Fixed cost counted per retained record and per key, on top of key and value bytes (an
    /// estimate of index and record overhead, so many tiny values still count).</summary>
    private const long RecordOverheadBytes = 48;
    private const long KeyOverheadBytes = 64;

    /// <summary>
    /// An estimate of the store's size in bytes: every retained revision of every key (keys, values and a
    /// fixed overhead each). This is what --quota-backend-bytes is compared against; it shrinks after a
    /// compaction, as etcd's in-use size does after compaction and defragmentation. Walks the whole index.
    /// </summary>
    public long MeasureBytes()
    {
        _lock.EnterReadLock();
        try
        {
            long total = 0;
            foreach (var history in _index.All())
            {
                total += KeyOverheadBytes + history.Key.Length;
                foreach (ref readonly var record in history.Records)
                    total += RecordOverheadBytes + (record.Value?.Length ?? 0);
            }
            return total;
        }
        finally { _lock.ExitReadLock(); }
    }
}
