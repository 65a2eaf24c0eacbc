using Microsoft.AspNetCore.Http;

namespace Coordinator.Gateway.Http;

/// <summary>
/// etcd 3.4's <c>GET /health</c>, byte for byte: healthy when no alarm is raised, there is a leader and a
/// linearizable read completes in time — 200 <c>{"health":"true"}</c> (text/plain, as Go sniffs it), else 503
/// <c>{"health":"false"}</c> written by http.Error (with a newline). Other methods: 405 with Allow: GET.
/// </summary>
public sealed class HealthEndpoint(ICoordinatorNode node, GatewayOptions options)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (EtcdHttp.AnswerPreflight(context)) return;
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            await EtcdHttp.MethodNotAllowed(context, "GET");
            return;
        }
        if (await IsHealthyAsync(context.RequestAborted))
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await EtcdHttp.WriteBody(context, "{\"health\":\"true\"}");
        }
        else await EtcdHttp.PlainError(context, StatusCodes.Status503ServiceUnavailable, "{\"health\":\"false\"}");
    }

    private async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        if (node.Status().Errors.Count > 0 || node.LeaderId == 0) return false;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.HealthCheckTimeout);
        try
        {
            await node.ReadBarrierAsync(timeout.Token);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or NodeException)
        {
            return false;
        }
    }
}
