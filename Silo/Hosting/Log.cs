using Microsoft.Extensions.Logging;

namespace Coordinator.Silo.Hosting;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "elected leader {Leader} at term {Term}{Self}")]
    private static partial void LeaderElectedCore(ILogger logger, string leader, ulong term, string self);
    public static void LeaderElected(ILogger logger, ulong leader, ulong term, bool self) =>
        LeaderElectedCore(logger, leader.ToString("x"), term, self ? " (this member)" : "");

    [LoggerMessage(2, LogLevel.Warning, "lost leader {Leader} at term {Term}")]
    private static partial void LeaderLostCore(ILogger logger, string leader, ulong term);
    public static void LeaderLost(ILogger logger, ulong leader, ulong term) => LeaderLostCore(logger, leader.ToString("x"), term);

    [LoggerMessage(3, LogLevel.Warning, "slow fdatasync: {Milliseconds} ms for {Entries} entries (expected < 100 ms)")]
    public static partial void SlowFsync(ILogger logger, long milliseconds, int entries);

    [LoggerMessage(4, LogLevel.Information, "saved snapshot at index {Index} ({Bytes} bytes)")]
    public static partial void SnapshotTaken(ILogger logger, ulong index, long bytes);

    [LoggerMessage(6, LogLevel.Information, "{Phase} for term {Term} (no leader heard within the election timeout)")]
    public static partial void Campaigning(ILogger logger, string phase, ulong term);

    [LoggerMessage(5, LogLevel.Critical, "the replica loop failed; this member stops acknowledging requests")]
    public static partial void LoopFailed(ILogger logger, Exception error);

    [LoggerMessage(7, LogLevel.Information, "proposed {Count} unanswered requests again at term {Term} (the state machine applies each at most once)")]
    public static partial void ProposalsResubmitted(ILogger logger, int count, ulong term);
}
