using Google.Protobuf;

namespace Coordinator.Gateway.Grpc;

/// <summary>One request, a stream of responses (e.g. Maintenance.Snapshot).</summary>
public sealed class ServerStreamingMethod<TRequest, TResponse>(
    string path,
    MessageParser<TRequest> parser,
    Func<TRequest, GrpcResponseStream<TResponse>, GrpcCall, Task> handler)
    : GrpcMethod(path, GrpcMethodKind.ServerStreaming)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    public override async Task InvokeAsync(GrpcCall call)
    {
        var request = await call.Reader.ReadAsync(parser, call.CancellationToken)
            ?? throw GrpcStatusException.InvalidArgument("grpc: request has no message");
        await call.StartResponseAsync();
        var responses = new GrpcResponseStream<TResponse>(call);
        try
        {
            await handler(request, responses, call);
        }
        finally
        {
            await StreamCompletion.DrainQuietlyAsync(responses.CompleteAsync());
        }
    }
}
