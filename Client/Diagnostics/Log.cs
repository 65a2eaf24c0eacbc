using Microsoft.Extensions.Logging;

namespace Coordinator.Client.Diagnostics;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "{Method} failed (attempt {Attempt}, {Kind}), retrying on the next member: {Reason}")]
    public static partial void Failover(ILogger logger, string method, int attempt, string kind, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Watch on {Key} broke; resuming from revision {Revision}: {Reason}")]
    public static partial void WatchResuming(ILogger logger, string key, long revision, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Lease {LeaseId:x} keep-alive failed: {Reason}")]
    public static partial void KeepAliveFailed(ILogger logger, long leaseId, string reason);

    [LoggerMessage(5, LogLevel.Warning, "Lease {LeaseId:x} lost: {Reason}")]
    public static partial void LeaseLost(ILogger logger, long leaseId, string reason);

    [LoggerMessage(6, LogLevel.Debug, "{Method} failed: {Status}")]
    public static partial void CallFailed(ILogger logger, string method, string status);
}
