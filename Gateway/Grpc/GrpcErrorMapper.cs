using Coordinator.Grains.Store;

namespace Coordinator.Gateway.Grpc;

/// <summary>Turns the exception that ended a call into its gRPC status and etcd's text.</summary>
public static class GrpcErrorMapper
{
    public const string DeadlineText = "context deadline exceeded";
    public const string CanceledText = "context canceled";

    /// <summary>Null for an exception no mapping covers (a bug): the caller logs it and answers UNKNOWN.</summary>
    public static (StatusCode Code, string Message)? Map(Exception exception, GrpcCall call) => exception switch
    {
        GrpcStatusException e => (e.Code, e.Message),
        StoreException e => (e.Code, e.Message),
        NodeException e => ((StatusCode)e.StatusCode, e.Message),
        OperationCanceledException when call.Shutdown.IsCancellationRequested =>
            (StatusCode.Unavailable, NodeException.Stopped().Message),
        OperationCanceledException when call.DeadlineExceeded => (StatusCode.DeadlineExceeded, DeadlineText),
        OperationCanceledException => (StatusCode.Canceled, CanceledText),
        _ => null,
    };
}
