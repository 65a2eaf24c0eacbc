using Microsoft.Extensions.Logging;

namespace Coordinator.Gateway.Watch;

internal static partial class WatchLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Watch fan-out failed for revision {Revision}")]
    public static partial void PublishFailed(ILogger logger, long revision, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Watch catch-up pass failed")]
    public static partial void CatchUpFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Watch progress notification failed")]
    public static partial void ProgressFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Watch {WatchId} fell behind its stream; resumes from history at revision {Revision}")]
    public static partial void WatchFellBehind(ILogger logger, long watchId, long revision);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Watch {WatchId} canceled: revision {Revision} compacted (compact revision {CompactRevision})")]
    public static partial void WatchCompacted(ILogger logger, long watchId, long revision, long compactRevision);
}
