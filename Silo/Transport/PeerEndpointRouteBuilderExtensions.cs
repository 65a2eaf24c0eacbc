using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Coordinator.Silo.Transport;

public static class PeerEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Mounts <c>POST /raft/stream</c>, <c>/raft/snapshot</c> and <c>/raft/rpc/{method}</c> for
    /// <paramref name="transport"/>. The listener must speak HTTP/2 (h2c); apply
    /// <see cref="PeerRequestLimits.ConfigurePeerListener"/> to its Kestrel options.
    /// </summary>
    public static RouteGroupBuilder MapRaftPeerEndpoints(this IEndpointRouteBuilder endpoints, PeerTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var handlers = new PeerRequestHandlers(transport);
        var group = endpoints.MapGroup("/raft");
        group.MapPost("/stream", (RequestDelegate)handlers.HandleStreamAsync);
        group.MapPost("/snapshot", (RequestDelegate)handlers.HandleSnapshotAsync);
        group.MapPost("/rpc/{method}", (RequestDelegate)handlers.HandleRpcAsync);
        return group;
    }
}
