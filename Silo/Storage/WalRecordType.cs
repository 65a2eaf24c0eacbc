namespace Coordinator.Silo.Storage;

/// <summary>What a WAL record's payload holds. Values are on disk: never renumber.</summary>
public enum WalRecordType : byte
{
    /// <summary>Contiguous entries; they replace any suffix of the log from their first index on.</summary>
    Entries = 1,
    /// <summary>A HardState (term, vote, commit) that replaces the previous one.</summary>
    HardState = 2,
    /// <summary>A snapshot (index, term) whose file is durable; the log starts after it.</summary>
    SnapshotMarker = 3,
}
