using System.IO.Pipelines;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Coordinator.Gateway.Grpc;

/// <summary>
/// One gRPC call: its request metadata, its cancellation (client abort, grpc-timeout deadline, server shutdown)
/// and the response frames written so far. Created and disposed by <see cref="GrpcDispatcher"/>.
/// </summary>
public sealed class GrpcCall : IDisposable
{
    private readonly CancellationTokenSource _deadline = new();
    private readonly CancellationTokenSource _linked;

    internal GrpcCall(HttpContext httpContext, GrpcFrameReader reader, TimeSpan? timeout, CancellationToken shutdown)
    {
        HttpContext = httpContext;
        Reader = reader;
        Shutdown = shutdown;
        if (timeout is { } t) _deadline.CancelAfter(t > MaxTimeout ? MaxTimeout : t);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, _deadline.Token, shutdown);
    }

    // CancelAfter accepts at most ~49 days; grpc-timeout can say 99999999 hours.
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(30);

    public HttpContext HttpContext { get; }

    /// <summary>Cancelled when the client goes away, the deadline passes or the server stops.</summary>
    public CancellationToken CancellationToken => _linked.Token;

    internal CancellationToken Shutdown { get; }

    internal bool DeadlineExceeded => _deadline.IsCancellationRequested;

    internal GrpcFrameReader Reader { get; }

    private PipeWriter Output => HttpContext.Response.BodyWriter;

    /// <summary>True once headers or a frame went out: the status must then travel in trailers.</summary>
    internal bool ResponseStarted { get; private set; }

    /// <summary>Request metadata (gRPC metadata is HTTP/2 headers; names are case-insensitive).</summary>
    public string? GetHeader(string name) => HttpContext.Request.Headers.TryGetValue(name, out var v) ? v.ToString() : null;

    /// <summary>Sends the response headers now (streams do this so clients see the call is open).</summary>
    internal async Task StartResponseAsync()
    {
        ResponseStarted = true;
        await HttpContext.Response.StartAsync(CancellationToken);
        // StartAsync only buffers the headers; the client waits for them before it considers the call open.
        await HttpContext.Response.BodyWriter.FlushAsync(CancellationToken);
    }

    /// <summary>Buffers one response frame; the caller flushes.</summary>
    internal void WriteFrame(IMessage message)
    {
        ResponseStarted = true;
        GrpcFrameWriter.Write(Output, message);
    }

    internal ValueTask<FlushResult> FlushAsync() => Output.FlushAsync(CancellationToken);

    public void Dispose()
    {
        _linked.Dispose();
        _deadline.Dispose();
    }
}
