using System.Text;
using Microsoft.AspNetCore.Http;

namespace Coordinator.Gateway.Http.V2;

/// <summary>Response helpers shared by the v2 endpoints: Go net/http's plain errors and etcd's JSON errors.</summary>
internal static class V2Http
{
    /// <summary>Go's http.Error: text/plain, nosniff, the text and a newline.</summary>
    public static Task PlainError(HttpContext context, int status, string text)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        return Write(context, text + "\n");
    }

    /// <summary>etcd's allowMethod: 405 with Allow listing the methods (comma-separated, no spaces).</summary>
    public static bool AllowMethod(HttpContext context, params string[] methods)
    {
        if (methods.Contains(context.Request.Method)) return true;
        context.Response.Headers["Allow"] = string.Join(",", methods);
        return false;
    }

    public static Task MethodNotAllowed(HttpContext context) => PlainError(context, 405, "Method Not Allowed");

    /// <summary>etcd's httptypes.HTTPError: JSON {"message":...}.</summary>
    public static Task HttpError(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return Write(context, V2Json.Message(message));
    }

    public static Task Write(HttpContext context, string body)
    {
        if (HttpMethods.IsHead(context.Request.Method)) return Task.CompletedTask;
        return context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body), context.RequestAborted).AsTask();
    }

    public static long NowUnixNs() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;

    /// <summary>etcd prints member and cluster ids as lowercase hex without padding.</summary>
    public static string Id(ulong id) => id.ToString("x");
}
