namespace Coordinator.Grains.Store.V2;

public sealed partial class V2Store
{
    /// <summary>A get: the node, a directory with its visible children (all levels when recursive).
    /// Throws <see cref="V2Error"/> (KeyNotFound, NotDir).</summary>
    public V2Event Get(string path, bool recursive, bool sorted)
    {
        _lock.EnterReadLock();
        try
        {
            var clean = V2Path.Clean(path);
            V2Node node;
            try { node = Find(clean); }
            catch (V2Error)
            {
                Interlocked.Increment(ref Stats.getsFail);
                throw;
            }
            Interlocked.Increment(ref Stats.getsSuccess);
            return new V2Event
            {
                Action = V2Actions.Get,
                Node = node.Listing(recursive, sorted),
                EtcdIndex = _index,
            };
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// The start of a watch: the first event in the history at or after <paramref name="sinceIndex"/> (0 = the next
    /// index) and at or before <paramref name="publishedIndex"/> that the watch would see, or null (then the watch
    /// waits for events published after <paramref name="publishedIndex"/>). Throws 401 when the index is older than
    /// the history. Also returns the store index, etcd's X-Etcd-Index of a watch.
    /// </summary>
    public (V2Event? Event, ulong StoreIndex, ulong SinceIndex) ScanHistory(string key, bool recursive, ulong sinceIndex, ulong publishedIndex)
    {
        _lock.EnterReadLock();
        try
        {
            var clean = V2Path.Clean(key);
            var since = sinceIndex == 0 ? publishedIndex + 1 : sinceIndex;
            var found = _history.Scan(clean, recursive, since, publishedIndex, publishedIndex);
            return (found, publishedIndex, since);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }
}
