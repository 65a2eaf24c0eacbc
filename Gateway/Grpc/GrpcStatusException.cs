using Coordinator.Grains.Store;

namespace Coordinator.Gateway.Grpc;

/// <summary>Ends a call with a gRPC status other than OK; the message travels as grpc-message.</summary>
public sealed class GrpcStatusException(StatusCode code, string message) : Exception(message)
{
    public StatusCode Code { get; } = code;

    public static GrpcStatusException Unimplemented(string message) => new(StatusCode.Unimplemented, message);
    public static GrpcStatusException InvalidArgument(string message) => new(StatusCode.InvalidArgument, message);
}
