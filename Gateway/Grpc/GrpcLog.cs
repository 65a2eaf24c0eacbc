using Microsoft.Extensions.Logging;

namespace Coordinator.Gateway.Grpc;

internal static partial class GrpcLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "gRPC call {Path} failed unexpectedly")]
    public static partial void CallFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "gRPC call {Path} ended with status {Code}: {Message}")]
    public static partial void CallEnded(ILogger logger, string path, int code, string message);
}
