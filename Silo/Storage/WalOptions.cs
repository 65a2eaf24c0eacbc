namespace Coordinator.Silo.Storage;

/// <summary>Where and how the member's shared WAL and its groups' snapshots live. The per-group settings
/// (cache, snapshots) apply to every group of the log.</summary>
public sealed record WalOptions
{
    public required string DataDir { get; init; }

    /// <summary>The group <see cref="WriteAheadLog.Open"/> opens and <see cref="SnapshotDirectory"/> names;
    /// the shared log itself serves any group.</summary>
    public ulong GroupId { get; init; } = 1;

    /// <summary>A segment is closed and a new one started once it reaches this size.</summary>
    public long SegmentSizeBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Segments the log may keep beyond twice its groups' live entries (and the current one) before
    /// it carries forward the groups that hold back the oldest (see SharedWriteAheadLog.CarryForward.cs).</summary>
    public int SegmentSlack { get; init; } = 4;

    /// <summary>Segments are created full of zeros (written, not sparse), so commits overwrite allocated
    /// blocks and their fdatasync writes no metadata; the next one is prepared in the background. False:
    /// segments start empty and grow by appending (for file systems where preallocating buys nothing).</summary>
    public bool PreallocateSegments { get; init; } = true;

    /// <summary>False: the next segment is prepared by the roll that needs it, on the writer, so fault
    /// points come in a fixed order (crash tests).</summary>
    internal bool PrepareSegmentsInBackground { get; init; } = true;

    /// <summary>The unit the disk writes atomically: a record torn by a crash has a sector-sized piece that
    /// is still zero. Smaller in tests, to tear small records.</summary>
    internal int SectorSize { get; init; } = 512;

    /// <summary>Budget, per group, for the payloads of the newest entries kept in memory (the newest entry is kept even
    /// when larger); older entries are read back from the segment files when asked for. 2 MiB covers a few
    /// hundred milliseconds of a follower's lag at full write load.</summary>
    public long EntryCacheBytes { get; init; } = 2L * 1024 * 1024;

    /// <summary>How fast our own snapshots are written (received ones are written as they arrive). The default
    /// spreads a snapshot's disk writes and CPU so commits keep their latency meanwhile.</summary>
    public SnapshotWritePace SnapshotWritePace { get; init; } = SnapshotWritePace.Background;

    /// <summary>How many snapshot files to keep; WAL segments needed by the oldest kept one stay too.</summary>
    public int RetainSnapshots { get; init; } = 2;

    /// <summary>Applied entries between snapshots; the host asks <see cref="WriteAheadLog.ShouldSnapshot"/>.</summary>
    public ulong SnapshotCount { get; init; } = 100_000;

    /// <summary>Receives recovery notices (torn tail cut, snapshot fallback). Null: dropped.</summary>
    public Action<string>? Log { get; init; }

    public IWalFileSystem FileSystem { get; init; } = DiskFileSystem.Instance;

    /// <summary>The shared log's segments (every group's).</summary>
    public string WalDirectory => WalPaths.WalDirectory(DataDir);

    /// <summary>The snapshot files of <see cref="GroupId"/>.</summary>
    public string SnapshotDirectory => WalPaths.SnapshotDirectory(DataDir, GroupId);
}
