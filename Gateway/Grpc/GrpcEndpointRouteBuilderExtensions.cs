using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Gateway.Grpc;

public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>Maps every method of the table at its exact path, and any other <c>/Service/Method</c> POST to
    /// UNIMPLEMENTED (HTTP 200, grpc-status 12) as gRPC servers answer unknown methods.</summary>
    public static IEndpointRouteBuilder MapCoordinatorGrpc(this IEndpointRouteBuilder endpoints)
    {
        var dispatcher = endpoints.ServiceProvider.GetRequiredService<GrpcDispatcher>();
        foreach (var method in dispatcher.Table.Methods)
        {
            endpoints.MapPost(method.Path, context => dispatcher.DispatchAsync(context, method))
                .WithDisplayName("gRPC " + method.Path);
        }
        endpoints.MapPost("/{service}/{method}", dispatcher.DispatchAsync).WithDisplayName("gRPC unknown method");
        return endpoints;
    }
}
