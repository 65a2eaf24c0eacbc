using System.Net;

namespace Coordinator.Client.Transport;

/// <summary>One member's client URL and the single HTTP/2 connection that carries every call to it.
/// Owns its handler: one <see cref="SocketsHttpHandler"/> per endpoint with multiple HTTP/2 connections
/// disabled, so all unary calls and streams multiplex on one connection.</summary>
internal sealed class ClientEndpoint : IDisposable
{
    private long _unhealthyUntilTicks; // Environment.TickCount64; 0 = healthy

    public ClientEndpoint(Uri address, CoordinatorClientOptions options)
    {
        Address = address;
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = false,
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectTimeout = options.DialTimeout,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            // Pings detect a dead member under an idle watch; etcd rejects pings more often than every 5 s.
            KeepAlivePingDelay = options.KeepAlivePingDelay < TimeSpan.FromSeconds(5) ? TimeSpan.FromSeconds(5) : options.KeepAlivePingDelay,
            KeepAlivePingTimeout = options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        };
        Invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public Uri Address { get; }

    public HttpMessageInvoker Invoker { get; }

    public bool IsHealthy => Environment.TickCount64 >= Volatile.Read(ref _unhealthyUntilTicks);

    /// <summary>When the endpoint becomes eligible again (for picking the least bad one when all are down).</summary>
    public long UnhealthyUntil => Volatile.Read(ref _unhealthyUntilTicks);

    public void MarkUnhealthy(TimeSpan period) =>
        Volatile.Write(ref _unhealthyUntilTicks, Environment.TickCount64 + (long)period.TotalMilliseconds);

    public void MarkHealthy() => Volatile.Write(ref _unhealthyUntilTicks, 0);

    public HttpRequestMessage CreateRequest(string path, HttpContent content, TimeSpan? timeout)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Address, path))
        {
            // Hand-made requests ignore the client's defaults: h2c needs both on every request.
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (timeout is { } t) request.Headers.TryAddWithoutValidation("grpc-timeout", GrpcTimeout.Format(t));
        content.Headers.TryAddWithoutValidation("content-type", "application/grpc");
        return request;
    }

    public static Uri ParseAddress(string endpoint)
    {
        var text = endpoint.Trim();
        if (!text.Contains("://", StringComparison.Ordinal)) text = "http://" + text;
        var uri = new Uri(text, UriKind.Absolute);
        return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }

    public override string ToString() => Address.Authority;

    public void Dispose() => Invoker.Dispose();
}
