using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Gateway.Http;

public static class HttpEndpointRouteBuilderExtensions
{
    /// <summary>etcd's plain HTTP endpoints on the client URL: /health, /version, /metrics.</summary>
    public static IEndpointRouteBuilder MapCoordinatorHttp(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        // Every method reaches these handlers: they answer 405 with etcd's body themselves.
        endpoints.Map("/health", services.GetRequiredService<HealthEndpoint>().HandleAsync);
        endpoints.Map("/version", services.GetRequiredService<VersionEndpoint>().HandleAsync);
        endpoints.MapGet("/metrics", services.GetRequiredService<MetricsEndpoint>().HandleAsync);
        // Anything else etcd does not serve: Go's 404 page (lowest priority: every mapped route wins).
        endpoints.MapFallback(EtcdHttp.NotFound);
        return endpoints;
    }
}
