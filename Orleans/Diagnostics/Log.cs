using Microsoft.Extensions.Logging;

namespace Coordinator.Orleans.Diagnostics;

/// <summary>The providers' log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Coordinator membership table for cluster {ClusterId} under {Prefix} on {Endpoints}")]
    public static partial void MembershipTableInitialized(ILogger logger, string clusterId, string prefix, string endpoints);

    [LoggerMessage(2, LogLevel.Debug, "Membership {Operation} for {Silo} lost its compare-and-swap (table version {Version})")]
    public static partial void MembershipConflict(ILogger logger, string operation, string silo, string version);

    [LoggerMessage(3, LogLevel.Information, "Removed defunct membership row {Silo} (status {Status}, last alive {LastAlive:o})")]
    public static partial void DefunctRowRemoved(ILogger logger, string silo, string status, DateTime lastAlive);

    [LoggerMessage(4, LogLevel.Warning, "Grain state write conflict for {GrainType} {GrainId}: etag {ETag}, stored {StoredETag}")]
    public static partial void GrainStateConflict(ILogger logger, string grainType, string grainId, string? eTag, string? storedETag);

    [LoggerMessage(5, LogLevel.Error, "Grain storage {Provider} failed to {Operation} {Key}")]
    public static partial void GrainStorageFailed(ILogger logger, Exception exception, string provider, string operation, string key);

    [LoggerMessage(6, LogLevel.Information, "Stream receiver {Provider}/{Queue} watches {Prefix} from revision {Revision}")]
    public static partial void StreamWatchStarted(ILogger logger, string provider, string queue, string prefix, long revision);

    [LoggerMessage(7, LogLevel.Warning, "Stream receiver {Provider} watch of {Prefix} broke; restarting from revision {Revision}")]
    public static partial void StreamWatchRestarting(ILogger logger, Exception exception, string provider, string prefix, long revision);

    [LoggerMessage(8, LogLevel.Error, "Stream receiver {Provider}: revisions of {Prefix} before {CompactRevision} were compacted away; changes from {Requested} to {CompactRevision} cannot be delivered")]
    public static partial void StreamCompacted(ILogger logger, string provider, string prefix, long requested, long compactRevision);

    [LoggerMessage(9, LogLevel.Warning, "Stream receiver {Provider} could not save its checkpoint for {Prefix}")]
    public static partial void StreamCheckpointFailed(ILogger logger, Exception exception, string provider, string prefix);
}
