using Google.Protobuf;

namespace Coordinator.Gateway.Grpc;

/// <summary>Every gRPC method the gateway serves, by path (<c>/package.Service/Method</c>). Filled once at
/// startup by the <see cref="IGrpcService"/>s; read-only afterwards.</summary>
public sealed class GrpcMethodTable
{
    private readonly Dictionary<string, GrpcMethod> _methods = new(StringComparer.Ordinal);

    public IReadOnlyCollection<GrpcMethod> Methods => _methods.Values;

    public bool TryGet(string path, out GrpcMethod method) => _methods.TryGetValue(path, out method!);

    /// <summary>Adds or replaces the method at its path (a later registration wins, so a real service can
    /// replace a placeholder).</summary>
    public void Add(GrpcMethod method) => _methods[method.Path] = method;

    public void Unary<TRequest, TResponse>(string path, MessageParser<TRequest> parser,
        Func<TRequest, GrpcCall, ValueTask<TResponse>> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        Add(new UnaryMethod<TRequest, TResponse>(path, parser, handler));

    public void ServerStreaming<TRequest, TResponse>(string path, MessageParser<TRequest> parser,
        Func<TRequest, GrpcResponseStream<TResponse>, GrpcCall, Task> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        Add(new ServerStreamingMethod<TRequest, TResponse>(path, parser, handler));

    public void Duplex<TRequest, TResponse>(string path, MessageParser<TRequest> parser,
        Func<GrpcRequestStream<TRequest>, GrpcResponseStream<TResponse>, GrpcCall, Task> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        Add(new DuplexStreamingMethod<TRequest, TResponse>(path, parser, handler));

    public void Unimplemented(string path, string reason) => Add(new UnimplementedMethod(path, reason));
}
