using Coordinator.Gateway.Services;
using Coordinator.Gateway.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Coordinator.Gateway.Grpc;

public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>Maps every etcd service, grpc.health.v1.Health and server reflection. Any other
    /// <c>/Service/Method</c> is answered UNIMPLEMENTED by Grpc.AspNetCore (HTTP 200, grpc-status 12).</summary>
    public static IEndpointRouteBuilder MapCoordinatorGrpc(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<KvService>();
        endpoints.MapGrpcService<WatchService>();
        endpoints.MapGrpcService<LeaseService>();
        endpoints.MapGrpcService<ClusterService>();
        endpoints.MapGrpcService<MaintenanceService>();
        endpoints.MapGrpcService<AuthService>();
        endpoints.MapGrpcService<LockService>();
        endpoints.MapGrpcService<ElectionService>();
        endpoints.MapGrpcService<HealthService>();
        endpoints.MapGrpcReflectionService();
        return endpoints;
    }

    /// <summary>Middleware of the client port: call before routing (<c>UseRouting</c>) or the endpoints.</summary>
    public static IApplicationBuilder UseCoordinatorGrpc(this IApplicationBuilder app) => app.UseMiddleware<MessageSizeStatusMiddleware>();
}
