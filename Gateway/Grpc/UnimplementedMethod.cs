using Coordinator.Grains.Store;

namespace Coordinator.Gateway.Grpc;

/// <summary>A method etcd has and we do not (yet): answers UNIMPLEMENTED with a message saying so.</summary>
public sealed class UnimplementedMethod(string path, string reason) : GrpcMethod(path, GrpcMethodKind.Unary)
{
    public override Task InvokeAsync(GrpcCall call) => throw new GrpcStatusException(StatusCode.Unimplemented, reason);
}
