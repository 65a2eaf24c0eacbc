using System.Text;
using Microsoft.AspNetCore.Http;

namespace Coordinator.Gateway.Http;

/// <summary>What every plain HTTP response of etcd 3.4's client URL carries, and Go net/http's own answers
/// (plain-text errors, 404 page, redirect of unclean paths), so responses match etcd's byte for byte.</summary>
public static class EtcdHttp
{
    /// <summary>etcd wraps its client handler in a CORS handler allowing every origin.</summary>
    public static void AddCorsHeaders(HttpResponse response)
    {
        response.Headers["Access-Control-Allow-Headers"] = "accept, content-type, authorization";
        response.Headers["Access-Control-Allow-Methods"] = "POST, GET, OPTIONS, PUT, DELETE";
        response.Headers["Access-Control-Allow-Origin"] = "*";
    }

    /// <summary>etcd's CORS handler answers every OPTIONS request itself: 200, the CORS headers, no body. True when it did.</summary>
    public static bool AnswerPreflight(HttpContext context)
    {
        AddCorsHeaders(context.Response);
        if (!HttpMethods.IsOptions(context.Request.Method)) return false;
        context.Response.StatusCode = 200;
        context.Response.ContentLength = 0;
        return true;
    }

    /// <summary>Writes a whole body with its Content-Length (none for HEAD, as Go).</summary>
    public static Task WriteBody(HttpContext context, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        if (HttpMethods.IsHead(context.Request.Method)) return Task.CompletedTask;
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    /// <summary>Go's http.Error: text/plain, nosniff, the text and a newline.</summary>
    public static Task PlainError(HttpContext context, int status, string text)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        return WriteBody(context, text + "\n");
    }

    /// <summary>405 with Allow, as etcd's allowMethod answers.</summary>
    public static Task MethodNotAllowed(HttpContext context, string allow)
    {
        context.Response.Headers["Allow"] = allow;
        return PlainError(context, 405, "Method Not Allowed");
    }

    /// <summary>Go's http.NotFound for paths etcd does not serve.</summary>
    public static Task NotFound(HttpContext context)
    {
        if (AnswerPreflight(context)) return Task.CompletedTask;
        return PlainError(context, 404, "404 page not found");
    }

    /// <summary>Go's ServeMux redirects a path that is not clean (e.g. "//", "/./") to its clean form (301); true
    /// when it did.</summary>
    public static bool RedirectUncleanPath(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var clean = CleanPath(path);
        if (clean == path) return false;
        var location = clean + context.Request.QueryString.Value;
        var response = context.Response;
        response.StatusCode = 301;
        response.Headers.Location = location;
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            response.ContentType = "text/html; charset=utf-8";
        if (HttpMethods.IsGet(context.Request.Method))
            _ = WriteBody(context, "<a href=\"" + System.Net.WebUtility.HtmlEncode(location) + "\">Moved Permanently</a>.\n\n");
        return true;
    }

    /// <summary>Go's cleanPath: path.Clean, keeping a trailing slash.</summary>
    private static string CleanPath(string p)
    {
        var clean = Grains.Store.V2.V2Path.Clean(p);
        return p.EndsWith('/') && clean != "/" ? clean + "/" : clean;
    }
}
