using Microsoft.Extensions.Logging;

namespace Coordinator.Client.Diagnostics;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "{Method} failed on {Endpoint} (attempt {Attempt}), retrying elsewhere: {Reason}")]
    public static partial void Failover(ILogger logger, string method, string endpoint, int attempt, string reason);

    [LoggerMessage(2, LogLevel.Information, "Endpoint {Endpoint} marked unhealthy for {Period}: {Reason}")]
    public static partial void EndpointUnhealthy(ILogger logger, string endpoint, TimeSpan period, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Watch on {Key} broke on {Endpoint}; resuming from revision {Revision}: {Reason}")]
    public static partial void WatchResuming(ILogger logger, string key, string endpoint, long revision, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Lease {LeaseId:x} keep-alive failed on {Endpoint}: {Reason}")]
    public static partial void KeepAliveFailed(ILogger logger, long leaseId, string endpoint, string reason);

    [LoggerMessage(5, LogLevel.Warning, "Lease {LeaseId:x} lost: {Reason}")]
    public static partial void LeaseLost(ILogger logger, long leaseId, string reason);

    [LoggerMessage(6, LogLevel.Debug, "{Method} failed: {Status}")]
    public static partial void CallFailed(ILogger logger, string method, string status);
}
