using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Simulation;

/// <summary>
/// One group's log on one member, as two images: <see cref="Live"/>, what has been written (the page cache —
/// the replica reads it), and <see cref="Durable"/>, what the member's shared WAL has fsynced. A crash
/// replaces the live image with the durable one. With a correct WAL the two differ only by records still
/// waiting for an fsync; a buggy one lets a replica run ahead of its disk, and a crash then shows it.
/// </summary>
internal sealed class GroupDisk
{
    public MemoryLogStorage Live { get; private set; } = new();
    public MemoryLogStorage Durable { get; } = new();

    public void Bootstrap(HardState hardState, IReadOnlyList<Entry> entries)
    {
        Live.Save(hardState, entries);
        Durable.Save(hardState, entries);
    }

    /// <summary>A snapshot of the member's own state machine, written and synced on its own (not through the
    /// WAL), dropping the entries it covers. The durable image takes it only where it holds the same entry.</summary>
    public void Compact(ulong index, Membership membership, byte[] data)
    {
        var liveTerm = Live.TryTerm(index, out var lt) ? lt : 0;
        Live.CreateSnapshot(index, membership, data);
        if (index > Durable.SnapshotMetadata.Index && Durable.TryTerm(index, out var dt) && dt == liveTerm)
            Durable.CreateSnapshot(index, membership, data);
    }

    /// <summary>After a crash: what survived on disk is all there is.</summary>
    public void LoseUnsynced()
    {
        var copy = new MemoryLogStorage();
        if (!Durable.Snapshot.IsEmpty) copy.ApplySnapshot(Durable.Snapshot);
        var entries = Durable.LastIndex >= Durable.FirstIndex
            ? Durable.Entries(Durable.FirstIndex, Durable.LastIndex + 1, long.MaxValue)
            : Array.Empty<Entry>();
        copy.Save(Durable.HardState, entries);
        Live = copy;
    }
}
