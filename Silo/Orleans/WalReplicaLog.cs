using Coordinator.Grains.Raft;
using Coordinator.Grains.Replicas;
using Coordinator.Silo.Storage;

namespace Coordinator.Silo.Orleans;

/// <summary>A replica grain's log in the member's shared WAL: the group's <see cref="WriteAheadLog"/> view, held
/// exclusively until disposed (the view refuses writes afterwards).</summary>
internal sealed class WalReplicaLog(ulong groupId, WriteAheadLog wal) : IReplicaLog
{
    public ulong GroupId => groupId;
    public HardState HardState => wal.HardState;
    public ulong FirstIndex => wal.FirstIndex;
    public ulong LastIndex => wal.LastIndex;
    public Snapshot Snapshot => wal.Snapshot;
    public SnapshotMetadata SnapshotMetadata => wal.SnapshotMetadata;
    public bool TryTerm(ulong index, out ulong term) => wal.TryTerm(index, out term);
    public IReadOnlyList<Entry> Entries(ulong lo, ulong hi, long maxBytes) => wal.Entries(lo, hi, maxBytes);
    public void Save(HardState? hardState, IReadOnlyList<Entry> entries) => wal.Save(hardState, entries);
    public void ApplySnapshot(Snapshot snapshot) => wal.ApplySnapshot(snapshot);
    public void CreateSnapshot(ulong index, Membership membership, ReadOnlyMemory<byte> data) => wal.CreateSnapshot(index, membership, data);

    /// <summary>The snapshot (its file written and fsynced) before the HardState and entries, which then go
    /// through the shared writer with every other group's writes: one fsync for all.</summary>
    public async Task PersistAsync(Snapshot? snapshot, HardState? hardState, IReadOnlyList<Entry> entries, CancellationToken cancellationToken)
    {
        if (snapshot is not null) await Task.Run(() => wal.ApplySnapshot(snapshot), cancellationToken);
        if (hardState is not null || entries.Count > 0) await wal.SaveAsync(hardState, entries, cancellationToken);
    }

    public void Dispose() => wal.Dispose();
}
