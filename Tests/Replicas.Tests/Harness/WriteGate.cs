using Coordinator.Grains.Raft;
using Coordinator.Grains.Replicas;

namespace Coordinator.Replicas.Tests.Harness;

/// <summary>Holds a member's log writes while closed (a disk that stalls), or fails one (a disk error); open by default.</summary>
public sealed class WriteGate
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _open = Opened();
    private int _waiting;
    private Exception? _failNext; // guarded by _lock

    /// <summary>Writes started and not yet let through.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public void Close()
    {
        lock (_lock) if (_open.Task.IsCompleted) _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Open()
    {
        lock (_lock) _open.TrySetResult();
    }

    /// <summary>The next write fails with <paramref name="failure"/> (a disk error) instead of being written.</summary>
    public void FailNext(Exception failure)
    {
        lock (_lock) _failNext = failure;
    }

    public async Task PassAsync()
    {
        Task open;
        lock (_lock)
        {
            if (_failNext is { } failure)
            {
                _failNext = null;
                throw failure;
            }
            open = _open.Task;
        }
        if (open.IsCompleted) return;
        Interlocked.Increment(ref _waiting);
        try { await open; }
        finally { Interlocked.Decrement(ref _waiting); }
    }

    private static TaskCompletionSource Opened()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }
}

/// <summary>A member's <see cref="MemoryReplicaLogProvider"/> whose writes pass a <see cref="WriteGate"/> first.</summary>
public sealed class GatedReplicaLogProvider(MemoryReplicaLogProvider inner, WriteGate gate) : IReplicaLogProvider, IDisposable
{
    public MemoryReplicaLogProvider Inner => inner;

    public IReplicaLog Open(ulong groupId) => new GatedLog(inner.Open(groupId), gate);

    public void Dispose() => inner.Dispose();

    private sealed class GatedLog(IReplicaLog log, WriteGate gate) : IReplicaLog
    {
        public ulong GroupId => log.GroupId;
        public HardState HardState => log.HardState;
        public ulong FirstIndex => log.FirstIndex;
        public ulong LastIndex => log.LastIndex;
        public Snapshot Snapshot => log.Snapshot;
        public SnapshotMetadata SnapshotMetadata => log.SnapshotMetadata;
        public bool TryTerm(ulong index, out ulong term) => log.TryTerm(index, out term);
        public IReadOnlyList<Entry> Entries(ulong lo, ulong hi, long maxBytes) => log.Entries(lo, hi, maxBytes);
        public void Save(HardState? hardState, IReadOnlyList<Entry> entries) => log.Save(hardState, entries);
        public void ApplySnapshot(Snapshot snapshot) => log.ApplySnapshot(snapshot);
        public void CreateSnapshot(ulong index, Membership membership, ReadOnlyMemory<byte> data) => log.CreateSnapshot(index, membership, data);
        public void Dispose() => log.Dispose();

        public async Task PersistAsync(Snapshot? snapshot, HardState? hardState, IReadOnlyList<Entry> entries, CancellationToken cancellationToken)
        {
            await gate.PassAsync();
            await log.PersistAsync(snapshot, hardState, entries, cancellationToken);
        }
    }
}
