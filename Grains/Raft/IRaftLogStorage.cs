namespace Coordinator.Grains.Raft;

/// <summary>
/// The durable log of one replica: entries, HardState and the latest snapshot. Not the state machine.
/// <para>
/// The replica only reads (FirstIndex, LastIndex, TryTerm, Entries, Snapshot, HardState); the host writes, in
/// the order a Ready demands: <see cref="Save"/> its HardState and Entries (and <see cref="ApplySnapshot"/>
/// its Snapshot) before sending its Messages. A write is durable when the call returns, with one allowed
/// exception: a HardState that changes only Commit may become durable later (with the next write that must
/// be), so after a crash the recovered commit index may lag; term, vote, entries and snapshot never do.
/// Writes are never concurrent with each other (the host serializes them); reads may happen between writes only.
/// </para>
/// Invariants: FirstIndex = Snapshot.Index + 1; FirstIndex - 1 &lt;= LastIndex; the term of
/// FirstIndex - 1 is the snapshot's term. Every implementation passes <c>LogStorageConformance</c>.
/// </summary>
public interface IRaftLogStorage
{
    /// <summary>The last persisted HardState (empty for a new replica).</summary>
    HardState HardState { get; }

    /// <summary>Index of the first entry still in the log (entries below are in the snapshot).</summary>
    ulong FirstIndex { get; }

    /// <summary>Index of the last entry, or the snapshot index when the log is empty.</summary>
    ulong LastIndex { get; }

    /// <summary>The term of the entry at <paramref name="index"/>; false if compacted or beyond LastIndex.
    /// FirstIndex - 1 answers with the snapshot's term.</summary>
    bool TryTerm(ulong index, out ulong term);

    /// <summary>Entries [lo, hi), FirstIndex &lt;= lo &lt; hi &lt;= LastIndex + 1, stopping before the total
    /// size passes <paramref name="maxBytes"/> but always returning at least one entry.</summary>
    IReadOnlyList<Entry> Entries(ulong lo, ulong hi, long maxBytes);

    /// <summary>The latest snapshot (empty when there is none). A durable storage may read its data from
    /// disk on every call: the replica asks only when it sends the snapshot to a follower.</summary>
    Snapshot Snapshot { get; }

    /// <summary>The latest snapshot's metadata, without touching its data.</summary>
    SnapshotMetadata SnapshotMetadata => Snapshot.Metadata;

    /// <summary>Persists a HardState (when not null) and entries. Entries replace any existing suffix
    /// from their first index on (a conflicting tail of an old term is truncated).</summary>
    void Save(HardState? hardState, IReadOnlyList<Entry> entries);

    /// <summary>Replaces the whole log with a snapshot received from the leader: afterwards
    /// FirstIndex = snapshot index + 1 and LastIndex = snapshot index.</summary>
    void ApplySnapshot(Snapshot snapshot);

    /// <summary>Records a snapshot the host made of its own state machine at <paramref name="index"/>
    /// (&lt;= the applied index) and drops the log entries it covers, keeping any above it.</summary>
    void CreateSnapshot(ulong index, Membership membership, ReadOnlyMemory<byte> data);
}
