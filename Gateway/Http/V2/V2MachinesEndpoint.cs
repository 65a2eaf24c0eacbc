using Microsoft.AspNetCore.Http;

namespace Coordinator.Gateway.Http.V2;

/// <summary>etcd's <c>/v2/machines</c>: every member's client URLs, sorted, joined by ", ".</summary>
public sealed class V2MachinesEndpoint(IV2Node node)
{
    public Task HandleAsync(HttpContext context)
    {
        if (!V2Http.AllowMethod(context, "GET", "HEAD")) return V2Http.MethodNotAllowed(context);
        var urls = node.V2Members().SelectMany(m => m.ClientUrls).OrderBy(u => u, StringComparer.Ordinal);
        context.Response.ContentType = "text/plain; charset=utf-8";
        return V2Http.Write(context, string.Join(", ", urls));
    }
}
