using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Coordinator.Gateway.Http;

/// <summary>
/// etcd 3.4's <c>GET /health</c>: healthy when there is a leader and a linearizable read completes in time.
/// 200 <c>{"health":"true"}</c>, else 503 <c>{"health":"false","reason":...}</c>.
/// </summary>
public sealed class HealthEndpoint(ICoordinatorNode node, GatewayOptions options)
{
    public async Task HandleAsync(HttpContext context)
    {
        var reason = await CheckAsync(context.RequestAborted);
        context.Response.StatusCode = reason is null ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        var body = reason is null
            ? new Dictionary<string, string> { ["health"] = "true" }
            : new Dictionary<string, string> { ["health"] = "false", ["reason"] = reason };
        await context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }

    /// <summary>Null when healthy, else why not.</summary>
    private async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        if (node.LeaderId == 0) return "RAFT NO LEADER";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.HealthCheckTimeout);
        try
        {
            await node.ReadBarrierAsync(timeout.Token);
            return null;
        }
        catch (Exception e) when (e is OperationCanceledException or NodeException)
        {
            return "QGET ERROR: " + (e is OperationCanceledException ? "request timed out" : e.Message);
        }
    }
}
