namespace Coordinator.Grains.Store;

public sealed partial class KvStore
{
    /// <summary>Writes a consistent snapshot (see <see cref="StoreSnapshot"/>).</summary>
    public void WriteSnapshot(Stream destination) => CaptureSnapshot().WriteTo(destination);

    /// <summary>A point-in-time image of the state, cheap to take (no value is copied); encode it on any thread.</summary>
    public StoreSnapshotImage CaptureSnapshot()
    {
        _lock.EnterReadLock();
        try
        {
            return new StoreSnapshotImage(_currentRevision, _compactRevision, _appliedIndex, _leases.Ordered(), _index, _values.Freeze(), _sessions);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Replaces the whole state with a verified snapshot; on a damaged snapshot the state is untouched.</summary>
    public void RestoreSnapshot(Stream source)
    {
        var contents = StoreSnapshot.Read(source);
        _lock.EnterWriteLock();
        try
        {
            _index = contents.Index;
            _values = contents.Values;
            _sizeBytes = WalkSize();
            _leases = contents.Leases;
            _currentRevision = contents.CurrentRevision;
            _compactRevision = contents.CompactRevision;
            _appliedIndex = contents.AppliedIndex;
            _sessions = contents.Sessions;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Offline restore into a new cluster: the restored state becomes the state at
    /// <paramref name="raftIndex"/> of the new cluster's log (entries after it apply normally).</summary>
    public void RebaseAppliedIndex(ulong raftIndex)
    {
        _lock.EnterWriteLock();
        try { _appliedIndex = raftIndex; }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>A new store holding a snapshot's state.</summary>
    public static KvStore FromSnapshot(Stream source, StoreOptions? options = null)
    {
        var store = new KvStore(options);
        store.RestoreSnapshot(source);
        return store;
    }
}
