using Google.Protobuf;

namespace Coordinator.Gateway.Grpc;

/// <summary>Reads exactly one request message, runs the handler, writes one response frame.</summary>
public sealed class UnaryMethod<TRequest, TResponse>(
    string path, MessageParser<TRequest> parser, Func<TRequest, GrpcCall, ValueTask<TResponse>> handler)
    : GrpcMethod(path, GrpcMethodKind.Unary)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    public override async Task InvokeAsync(GrpcCall call)
    {
        var request = await call.Reader.ReadAsync(parser, call.CancellationToken)
            ?? throw GrpcStatusException.InvalidArgument("grpc: request has no message");
        var response = await handler(request, call);
        call.WriteFrame(response);
    }
}
