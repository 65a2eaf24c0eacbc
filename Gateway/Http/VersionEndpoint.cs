using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Coordinator.Gateway.Http;

/// <summary>etcd's <c>GET /version</c>: <c>{"etcdserver":"3.4.0-coordinator","etcdcluster":"3.4.0"}</c>.</summary>
public sealed class VersionEndpoint(GatewayOptions options)
{
    public Task HandleAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        var body = new Dictionary<string, string>
        {
            ["etcdserver"] = options.ServerVersion,
            ["etcdcluster"] = options.ClusterVersion,
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
