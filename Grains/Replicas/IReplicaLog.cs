using Coordinator.Grains.Raft;

namespace Coordinator.Grains.Replicas;

/// <summary>
/// The durable log of one group on one member, as <see cref="IReplicaLogProvider.Open"/> hands it out:
/// exclusively, until disposed. Implementations: in memory (<see cref="MemoryReplicaLog"/>) and the member's
/// shared WAL (an adapter over its per-group handle).
/// <para>
/// <see cref="PersistAsync"/> is how a replica grain writes: the work runs off the grain's turn and the task
/// completes once everything passed is durable. At most one call is in flight (the grain has one Ready in
/// flight); reads may run meanwhile and see the state before or after it (the replica reads only entries that
/// an earlier, completed call made durable). After <see cref="IDisposable.Dispose"/> every call throws.
/// </para>
/// </summary>
public interface IReplicaLog : IRaftLogStorage, IDisposable
{
    ulong GroupId { get; }

    /// <summary>Persists, in this order, a snapshot received from the leader (when set), the HardState (when
    /// set) and the entries (which replace any suffix from their first index on).</summary>
    Task PersistAsync(Snapshot? snapshot, HardState? hardState, IReadOnlyList<Entry> entries, CancellationToken cancellationToken);
}
