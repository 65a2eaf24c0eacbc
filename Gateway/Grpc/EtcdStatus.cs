using Coordinator.Grains.Store;
using Google.Protobuf;
using Grpc.Core;

namespace Coordinator.Gateway.Grpc;

/// <summary>
/// The single mapping from a failure to the gRPC status etcd clients see: codes and texts as etcd 3.4 (grpc-go)
/// sends them. Used by <see cref="EtcdStatusInterceptor"/> for every handler, and by the request parsing of
/// <see cref="ParsingServiceBinder"/> and <see cref="MessageSizeStatusMiddleware"/> for what fails before one runs.
/// </summary>
public static class EtcdStatus
{
    public const string DeadlineText = "context deadline exceeded";
    public const string CanceledText = "context canceled";

    /// <summary>grpc-go's text for a request message over the server's receive limit.</summary>
    public static string TooLargeText(long length, long limit) => $"grpc: received message larger than max ({length} vs. {limit})";

    public static RpcException Unimplemented(string message) => new(new Status(StatusCode.Unimplemented, message));

    /// <summary>An unparsable request message (grpc-go: INTERNAL, "grpc: error unmarshalling request").</summary>
    public static RpcException Unparsable(InvalidProtocolBufferException e) =>
        new(new Status(StatusCode.Internal, "grpc: error unmarshalling request: " + e.Message));

    /// <summary>Null for an exception no mapping covers (a bug): the caller logs it and answers UNKNOWN.</summary>
    public static RpcException? Map(Exception exception, ServerCallContext context, CancellationToken shutdown) => exception switch
    {
        RpcException e => e,
        StoreException e => new(new Status(e.Code, e.Message)),
        NodeException e => new(new Status((StatusCode)e.StatusCode, e.Message)),
        InvalidProtocolBufferException e => Unparsable(e),
        OperationCanceledException or IOException when shutdown.IsCancellationRequested =>
            new(new Status(StatusCode.Unavailable, NodeException.Stopped().Message)),
        OperationCanceledException when context.Deadline <= DateTime.UtcNow =>
            new(new Status(StatusCode.DeadlineExceeded, DeadlineText)),
        OperationCanceledException => new(new Status(StatusCode.Cancelled, CanceledText)),
        // The client reset the stream or the connection broke while the handler read or wrote.
        IOException when context.CancellationToken.IsCancellationRequested => new(new Status(StatusCode.Cancelled, CanceledText)),
        _ => null,
    };
}
