using Google.Protobuf;

namespace Coordinator.Gateway.Grpc;

/// <summary>A bidirectional stream: the handler reads requests and queues responses until it returns.</summary>
public sealed class DuplexStreamingMethod<TRequest, TResponse>(
    string path,
    MessageParser<TRequest> parser,
    Func<GrpcRequestStream<TRequest>, GrpcResponseStream<TResponse>, GrpcCall, Task> handler)
    : GrpcMethod(path, GrpcMethodKind.DuplexStreaming)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    public override async Task InvokeAsync(GrpcCall call)
    {
        await call.StartResponseAsync();
        var responses = new GrpcResponseStream<TResponse>(call);
        try
        {
            await handler(new GrpcRequestStream<TRequest>(call, parser), responses, call);
        }
        finally
        {
            // Queued responses go out before the status, also when the handler failed.
            await StreamCompletion.DrainQuietlyAsync(responses.CompleteAsync());
        }
    }
}
