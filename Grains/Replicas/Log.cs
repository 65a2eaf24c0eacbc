using Microsoft.Extensions.Logging;

namespace Coordinator.Grains.Replicas;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Replica {Replica} activated on {Silo}: term {Term}, last index {LastIndex}, voters ({Voters})")]
    public static partial void Activated(ILogger logger, string replica, string silo, ulong term, ulong lastIndex, string voters);

    [LoggerMessage(2, LogLevel.Information, "Replica {Replica} bootstrapped its empty log with voters ({Voters})")]
    public static partial void Bootstrapped(ILogger logger, string replica, string voters);

    [LoggerMessage(3, LogLevel.Warning, "Replica {Replica} refused to activate on {Silo}: {Reason}")]
    public static partial void Refused(ILogger logger, string replica, string silo, string reason);

    [LoggerMessage(4, LogLevel.Error, "Replica {Replica} stopped after a failure; it answers nothing more until reactivated from its log")]
    public static partial void Failed(ILogger logger, Exception exception, string replica);

    [LoggerMessage(5, LogLevel.Information, "Replica {Replica}: leader {Leader} in term {Term} (this replica is {Role})")]
    public static partial void LeaderChanged(ILogger logger, string replica, ulong leader, ulong term, string role);

    [LoggerMessage(6, LogLevel.Warning, "Waking replica {Replica} at silo start failed")]
    public static partial void WakeFailed(ILogger logger, Exception exception, string replica);
}
