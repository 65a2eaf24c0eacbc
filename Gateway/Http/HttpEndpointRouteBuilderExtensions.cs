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
        endpoints.MapGet("/health", services.GetRequiredService<HealthEndpoint>().HandleAsync);
        endpoints.MapGet("/version", services.GetRequiredService<VersionEndpoint>().HandleAsync);
        endpoints.MapGet("/metrics", services.GetRequiredService<MetricsEndpoint>().HandleAsync);
        return endpoints;
    }
}
