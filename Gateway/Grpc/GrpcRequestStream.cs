using System.Runtime.CompilerServices;
using Google.Protobuf;

namespace Coordinator.Gateway.Grpc;

/// <summary>The request side of a client- or bidi-streaming call; ends when the client half-closes.</summary>
public sealed class GrpcRequestStream<TRequest>(GrpcCall call, MessageParser<TRequest> parser) : IAsyncEnumerable<TRequest>
    where TRequest : class, IMessage<TRequest>
{
    public ValueTask<TRequest?> ReadAsync(CancellationToken cancellationToken) => call.Reader.ReadAsync(parser, cancellationToken);

    public async IAsyncEnumerator<TRequest> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call.CancellationToken);
        while (await ReadAsync(linked.Token) is { } request) yield return request;
    }
}
