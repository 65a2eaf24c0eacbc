using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>
/// One group's part of the shared log, kept by <see cref="SharedWriteAheadLog"/> whether or not the group is
/// open: what reads see (<see cref="State"/>, guarded by <see cref="StateLock"/>), the log as written so far
/// (owned by the writer loop), its snapshot files and the segments its entries are in.
/// </summary>
internal sealed class WalGroup(ulong id, WalLogState state, SnapshotStore snapshots, GroupSegmentUse segments, Snapshot recoveredSnapshot)
{
    public ulong Id => id;

    public readonly Lock StateLock = new();

    /// <summary>Holds only written writes, durable but for a commit-only HardState. Only the writer loop changes it.</summary>
    public WalLogState State => state;

    public SnapshotStore Snapshots => snapshots;

    /// <summary>The last snapshot written, loaded or recovered: reused while someone still holds it, so asking
    /// again (a snapshot being sent to a follower) does not read the file again. Guarded by StateLock.</summary>
    public readonly WeakReference<Snapshot> LoadedSnapshot = new(recoveredSnapshot);

    /// <summary>The view that has the group open; set and cleared under the shared log's group lock.</summary>
    public WriteAheadLog? Owner;

    /// <summary>Set (under the group lock) once a removal is queued; the group cannot be opened again.</summary>
    public bool Removing;

    // The log as written to the WAL so far (may be ahead of State until the fsync returns). Owned by the writer.
    public ulong WrittenSnapshotIndex = state.Snapshot.Index;
    public ulong WrittenLastIndex = state.LastIndex;
    public HardState WrittenHardState = state.HardState;
    public SnapshotMarker? WrittenMarker = state.Snapshot.Index == 0 ? null
        : new SnapshotMarker(state.Snapshot.Index, state.Snapshot.Term, ReplacesLog: false);

    /// <summary>The segments holding the group's entries. Owned by the writer.</summary>
    public GroupSegmentUse Segments => segments;
}
