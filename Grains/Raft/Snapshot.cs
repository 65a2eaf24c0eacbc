namespace Coordinator.Grains.Raft;

/// <summary>Where a snapshot sits in the log, and the membership in effect at that index.</summary>
public sealed record SnapshotMetadata(ulong Index, ulong Term, Membership Membership)
{
    public static readonly SnapshotMetadata Empty = new(0, 0, Membership.Empty);
}

/// <summary>
/// A state-machine image covering every entry up to <see cref="SnapshotMetadata.Index"/>. The replica never
/// looks inside <see cref="Data"/>: the host produces it (see <see cref="IRaftLogStorage.CreateSnapshot"/>)
/// and restores its state machine from it when a Ready carries one.
/// </summary>
public sealed record Snapshot(SnapshotMetadata Metadata, ReadOnlyMemory<byte> Data)
{
    public static readonly Snapshot Empty = new(SnapshotMetadata.Empty, ReadOnlyMemory<byte>.Empty);
    public bool IsEmpty => Metadata.Index == 0;
    public override string ToString() => $"snapshot {Metadata.Term}/{Metadata.Index} {Metadata.Membership} {Data.Length}B";
}
