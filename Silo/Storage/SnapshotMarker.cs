namespace Coordinator.Silo.Storage;

/// <summary>
/// A WAL record saying the snapshot (Index, Term) is durable in the snapshot store.
/// <see cref="ReplacesLog"/> is true for a snapshot received from the leader (ApplySnapshot): every entry
/// before it is discarded. Otherwise it compacts (CreateSnapshot) and entries above Index stay.
/// </summary>
public readonly record struct SnapshotMarker(ulong Index, ulong Term, bool ReplacesLog);
