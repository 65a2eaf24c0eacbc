using System.Text;
using Microsoft.AspNetCore.Http;

namespace Coordinator.Gateway.Http.V2;

/// <summary>Response helpers shared by the v2 endpoints: Go net/http's plain errors and etcd's JSON errors.</summary>
internal static class V2Http
{
    /// <summary>etcd's allowMethod: true when allowed; else the Allow header is set for <see cref="MethodNotAllowed"/>.</summary>
    public static bool AllowMethod(HttpContext context, params string[] methods)
    {
        EtcdHttp.AddCorsHeaders(context.Response);
        if (HttpMethods.IsOptions(context.Request.Method)) return false;
        if (methods.Contains(context.Request.Method)) return true;
        context.Response.Headers["Allow"] = string.Join(",", methods);
        return false;
    }

    /// <summary>405 (or, for OPTIONS, the CORS preflight answer etcd gives on every path).</summary>
    public static Task MethodNotAllowed(HttpContext context) =>
        EtcdHttp.AnswerPreflight(context) ? Task.CompletedTask : PlainError(context, 405, "Method Not Allowed");

    public static Task PlainError(HttpContext context, int status, string text) => EtcdHttp.PlainError(context, status, text);

    /// <summary>etcd's httptypes.HTTPError: JSON {"message":...}.</summary>
    public static Task HttpError(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return Write(context, V2Json.Message(message));
    }

    public static Task Write(HttpContext context, string body) => EtcdHttp.WriteBody(context, body);

    /// <summary>Streams one part of a long response (watch events): no Content-Length.</summary>
    public static Task WritePart(HttpContext context, string body) =>
        context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body), context.RequestAborted).AsTask();

    public const string ClusterIdHeader = "X-Etcd-Cluster-Id";

    public static long NowUnixNs() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;

    /// <summary>etcd prints member and cluster ids as lowercase hex without padding.</summary>
    public static string Id(ulong id) => id.ToString("x");
}
