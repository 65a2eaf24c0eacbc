namespace Coordinator.Gateway.Grpc;

/// <summary>A gRPC service (KV, Lease, ...): registers its methods in the table at startup.</summary>
public interface IGrpcService
{
    void Register(GrpcMethodTable table);
}
