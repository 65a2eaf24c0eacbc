using System.Text;
using Microsoft.AspNetCore.Http;

namespace Coordinator.Gateway.Http;

/// <summary>etcd's <c>GET /version</c>, byte for byte in form: <c>{"etcdserver":"...","etcdcluster":"3.4.0"}</c>
/// (application/json, no newline); other methods 405 with Allow: GET.</summary>
public sealed class VersionEndpoint(GatewayOptions options)
{
    public Task HandleAsync(HttpContext context)
    {
        if (EtcdHttp.AnswerPreflight(context)) return Task.CompletedTask;
        if (!HttpMethods.IsGet(context.Request.Method)) return EtcdHttp.MethodNotAllowed(context, "GET");
        context.Response.ContentType = "application/json";
        var body = new StringBuilder("{\"etcdserver\":");
        V2.GoJson.String(body, options.ServerVersion).Append(",\"etcdcluster\":");
        V2.GoJson.String(body, options.ClusterVersion).Append('}');
        return EtcdHttp.WriteBody(context, body.ToString());
    }
}
