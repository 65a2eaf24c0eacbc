namespace Coordinator.Silo.Storage;

/// <summary>Where and how one group's WAL and snapshots live.</summary>
public sealed record WalOptions
{
    public required string DataDir { get; init; }

    public ulong GroupId { get; init; } = 1;

    /// <summary>A segment is closed and a new one started once it reaches this size.</summary>
    public long SegmentSizeBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>How many snapshot files to keep; WAL segments needed by the oldest kept one stay too.</summary>
    public int RetainSnapshots { get; init; } = 2;

    /// <summary>Applied entries between snapshots; the host asks <see cref="WriteAheadLog.ShouldSnapshot"/>.</summary>
    public ulong SnapshotCount { get; init; } = 100_000;

    /// <summary>Receives recovery notices (torn tail cut, snapshot fallback). Null: dropped.</summary>
    public Action<string>? Log { get; init; }

    public IWalFileSystem FileSystem { get; init; } = DiskFileSystem.Instance;

    public string WalDirectory => WalPaths.WalDirectory(DataDir, GroupId);
    public string SnapshotDirectory => WalPaths.SnapshotDirectory(DataDir, GroupId);
}
