using Google.Protobuf;

namespace Coordinator.Bench.Grpc;

/// <summary>A gRPC method: its HTTP/2 path and how to parse what it returns.</summary>
public sealed record GrpcMethod<TResponse>(string Path, MessageParser<TResponse> Parser)
    where TResponse : IMessage<TResponse>;
