using Coordinator.Gateway.Grpc;
using Coordinator.Gateway.Http;
using Microsoft.AspNetCore.Routing;

namespace Coordinator.Gateway;

public static class GatewayEndpointRouteBuilderExtensions
{
    /// <summary>Everything etcd serves on a client URL: the gRPC API and /health, /version, /metrics.</summary>
    public static IEndpointRouteBuilder MapCoordinatorGateway(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapCoordinatorGrpc().MapCoordinatorHttp();
}
