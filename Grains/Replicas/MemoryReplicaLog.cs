using Coordinator.Grains.Raft;

namespace Coordinator.Grains.Replicas;

/// <summary>
/// One group's log on a <see cref="MemoryReplicaLogDisk"/>, as handed out by <see cref="MemoryReplicaLogProvider"/>.
/// Every access locks the underlying storage (writes run on the thread pool, reads on the grain's turn).
/// </summary>
public sealed class MemoryReplicaLog : IReplicaLog
{
    private readonly MemoryLogStorage _storage; // its monitor guards every access
    private readonly MemoryReplicaLogProvider _provider;
    private volatile bool _disposed;

    internal MemoryReplicaLog(ulong groupId, MemoryLogStorage storage, MemoryReplicaLogProvider provider)
    {
        GroupId = groupId;
        _storage = storage;
        _provider = provider;
    }

    public ulong GroupId { get; }

    public HardState HardState => Read(s => s.HardState);
    public ulong FirstIndex => Read(s => s.FirstIndex);
    public ulong LastIndex => Read(s => s.LastIndex);
    public Snapshot Snapshot => Read(s => s.Snapshot);
    public SnapshotMetadata SnapshotMetadata => Read(s => s.SnapshotMetadata);

    public bool TryTerm(ulong index, out ulong term)
    {
        lock (_storage)
        {
            ThrowIfDisposed();
            return _storage.TryTerm(index, out term);
        }
    }

    public IReadOnlyList<Entry> Entries(ulong lo, ulong hi, long maxBytes) => Read(s => s.Entries(lo, hi, maxBytes));

    public Task PersistAsync(Snapshot? snapshot, HardState? hardState, IReadOnlyList<Entry> entries, CancellationToken cancellationToken) =>
        Task.Run(() => Write(s =>
        {
            if (snapshot is not null) s.ApplySnapshot(snapshot);
            if (hardState is not null || entries.Count > 0) s.Save(hardState, entries);
        }), cancellationToken);

    public void Save(HardState? hardState, IReadOnlyList<Entry> entries) => Write(s => s.Save(hardState, entries));

    public void ApplySnapshot(Snapshot snapshot) => Write(s => s.ApplySnapshot(snapshot));

    public void CreateSnapshot(ulong index, Membership membership, ReadOnlyMemory<byte> data) =>
        Write(s => s.CreateSnapshot(index, membership, data));

    private T Read<T>(Func<MemoryLogStorage, T> read)
    {
        lock (_storage)
        {
            ThrowIfDisposed();
            return read(_storage);
        }
    }

    private void Write(Action<MemoryLogStorage> write)
    {
        lock (_storage)
        {
            ThrowIfDisposed();
            write(_storage);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    public void Dispose()
    {
        lock (_storage)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _provider.Closed(this);
    }
}
