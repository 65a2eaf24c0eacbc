namespace Coordinator.Silo.Storage;

/// <summary>What a WAL record's payload holds. Values are on disk: never renumber.
/// The shared log writes only the Group* types, whose payload starts with the group id (u64 LE); types 1-3
/// were written by the single-group WAL of earlier versions and are read only in its segments, as records of
/// the group that WAL belonged to.</summary>
public enum WalRecordType : byte
{
    /// <summary>Contiguous entries; they replace any suffix of the log from their first index on.</summary>
    Entries = 1,
    /// <summary>A HardState (term, vote, commit) that replaces the previous one.</summary>
    HardState = 2,
    /// <summary>A snapshot (index, term) whose file is durable; the log starts after it.</summary>
    SnapshotMarker = 3,
    /// <summary><see cref="Entries"/> of one group.</summary>
    GroupEntries = 4,
    /// <summary><see cref="HardState"/> of one group.</summary>
    GroupHardState = 5,
    /// <summary><see cref="SnapshotMarker"/> of one group.</summary>
    GroupSnapshotMarker = 6,
    /// <summary>The group left this member: every earlier record of it is void (its snapshots are deleted).
    /// Records of the same group id after it start a new group.</summary>
    GroupRemoved = 7,
}
