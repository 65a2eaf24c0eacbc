using System.Text;
using Coordinator.Grains.Store.V2;
using Microsoft.AspNetCore.Http;

namespace Coordinator.Gateway.Http.V2;

/// <summary>
/// etcd's <c>/v2/keys</c>: GET (local read; quorum=true reads after a ReadIndex), GET wait=true (long poll or
/// stream, also through a follower), HEAD, PUT, POST (in-order keys), DELETE. Writes are replicated; the
/// response carries X-Etcd-Index, X-Raft-Index, X-Raft-Term and X-Etcd-Cluster-ID as etcd's do. With v2 auth
/// enabled every request needs the key's permission (<see cref="V2Access"/>).
/// </summary>
public sealed class V2KeysEndpoint(IV2Node node, V2WatcherHub hub, V2Access access)
{
    public const string Prefix = "/v2/keys";

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (EtcdHttp.AnswerPreflight(context) || EtcdHttp.RedirectUncleanPath(context)) return;
        if (!V2Http.AllowMethod(context, "HEAD", "GET", "PUT", "POST", "DELETE"))
        {
            await V2Http.MethodNotAllowed(context);
            return;
        }
        context.Response.Headers[V2Http.ClusterIdHeader] = V2Http.Id(node.ClusterId);
        V2KeyRequest parsed;
        try
        {
            var form = await ReadFormAsync(context);
            parsed = V2KeyRequest.Parse(request.Method, request.Path.Value![Prefix.Length..], form);
        }
        catch (V2Error e)
        {
            await WriteError(context, e.Code, e.Cause, e.Index);
            return;
        }
        // etcd checks the key as sent (after /v2/keys, not cleaned) once the request parsed.
        if (!await access.HasKeyAccessAsync(context, request.Path.Value![Prefix.Length..], parsed.Recursive))
        {
            await WriteError(context, V2ErrorCode.Unauthorized, "Insufficient credentials", 0);
            return;
        }
        try
        {
            if (parsed.Method is "GET" or "HEAD" && parsed.Wait) await WatchAsync(context, parsed);
            else if (parsed.Method is "GET" or "HEAD") await GetAsync(context, parsed);
            else await WriteAsync(context, parsed);
        }
        catch (V2Error e)
        {
            await WriteError(context, e.Code, e.Cause, e.Index);
        }
        catch (NodeException e)
        {
            await WriteError(context, V2ErrorCode.RaftInternal, e.Message, 0);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested) { }
    }

    /// <summary>Go's ParseForm: a url-encoded body of POST/PUT/PATCH (at most 10 MiB), then the query.</summary>
    private static async Task<V2Form> ReadFormAsync(HttpContext context)
    {
        var request = context.Request;
        string? body = null;
        if (request.Method is "POST" or "PUT" or "PATCH" &&
            request.ContentType is { } type && MediaType(type) == "application/x-www-form-urlencoded")
        {
            body = await ReadBodyAsync(request, context.RequestAborted);
        }
        var (form, error) = V2Form.Parse(body, request.QueryString.Value ?? "");
        if (error is not null) throw new V2Error(V2ErrorCode.InvalidForm, error, 0);
        return form;
    }

    /// <summary>The whole url-encoded body, at most <see cref="V2Form.MaxBodyBytes"/> (Go's limit): one pooled buffer,
    /// no per-request chunk garbage (every v2 write comes this way).</summary>
    private static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 4096, 256, V2Form.MaxBodyBytes + 1));
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > V2Form.MaxBodyBytes) throw new V2Error(V2ErrorCode.InvalidForm, "http: POST too large", 0);
                    var larger = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, V2Form.MaxBodyBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                int n;
                try { n = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken); }
                catch (Exception e) when (e is IOException or Microsoft.AspNetCore.Http.BadHttpRequestException)
                {
                    // A body cut short: Go's ParseForm reports the read error; nothing is stored.
                    throw new V2Error(V2ErrorCode.InvalidForm, "unexpected EOF", 0);
                }
                if (n == 0) break;
                length += n;
            }
            if (length > V2Form.MaxBodyBytes) throw new V2Error(V2ErrorCode.InvalidForm, "http: POST too large", 0);
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string MediaType(string contentType)
    {
        var semicolon = contentType.IndexOf(';');
        return (semicolon < 0 ? contentType : contentType[..semicolon]).Trim().ToLowerInvariant();
    }

    private async Task GetAsync(HttpContext context, V2KeyRequest r)
    {
        if (r.Quorum) await node.ReadBarrierAsync(context.RequestAborted);
        var e = node.V2Store.Get(r.Path, r.Recursive, r.Sorted);
        await WriteEvent(context, e, noValueOnSuccess: false);
    }

    private async Task WriteAsync(HttpContext context, V2KeyRequest r)
    {
        // As etcd, a v2 write has no size limit of its own: the 10 MiB form limit bounds it.
        var e = await node.ProposeV2Async(r.ToWrite(V2Http.NowUnixNs()), context.RequestAborted);
        await WriteEvent(context, e, r.NoValueOnSuccess);
    }

    private async Task WriteEvent(HttpContext context, V2Event e, bool noValueOnSuccess)
    {
        var response = context.Response;
        response.ContentType = "application/json";
        response.Headers["X-Etcd-Index"] = e.EtcdIndex.ToString();
        response.Headers["X-Raft-Index"] = node.RaftIndex.ToString();
        response.Headers["X-Raft-Term"] = node.RaftTerm.ToString();
        if (e.IsCreated) response.StatusCode = StatusCodes.Status201Created;
        var withoutNodes = noValueOnSuccess && e.Action is V2Actions.Set or V2Actions.CompareAndSwap or V2Actions.Create or V2Actions.Update;
        await V2Http.Write(context, V2Json.Event(e, V2Http.NowUnixNs(), withoutNodes));
    }

    private async Task WatchAsync(HttpContext context, V2KeyRequest r)
    {
        using var watcher = hub.Watch(r.Path, r.Recursive, r.Stream, r.WaitIndex);
        var response = context.Response;
        response.ContentType = "application/json";
        response.Headers["X-Etcd-Index"] = watcher.StartIndex.ToString();
        response.Headers["X-Raft-Index"] = node.RaftIndex.ToString();
        response.Headers["X-Raft-Term"] = node.RaftTerm.ToString();
        response.StatusCode = 200;
        await response.StartAsync(context.RequestAborted);
        await response.Body.FlushAsync(context.RequestAborted);
        var token = context.RequestAborted;
        while (await watcher.Events.WaitToReadAsync(token))
        {
            while (watcher.Events.TryRead(out var e))
            {
                await V2Http.WritePart(context, V2Json.Event(e, V2Http.NowUnixNs()));
                if (!r.Stream) return;
            }
            await response.Body.FlushAsync(token);
        }
    }

    private static Task WriteError(HttpContext context, int code, string cause, ulong index)
    {
        var response = context.Response;
        if (response.HasStarted) return Task.CompletedTask;
        response.Headers["X-Etcd-Index"] = index.ToString();
        response.ContentType = "application/json";
        response.StatusCode = V2ErrorCode.HttpStatus(code);
        return V2Http.Write(context, V2Json.Error(code, cause, index));
    }
}
