using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace Coordinator.Bench.Grpc;

/// <summary>
/// One HTTP/2 (h2c, prior knowledge) connection to one endpoint, carrying many concurrent gRPC calls.
/// Lean on purpose: no interceptors, no retries, one array per request frame.
/// </summary>
public sealed class GrpcConnection : IDisposable
{
    private static readonly MediaTypeHeaderValue GrpcContentType = new("application/grpc");
    private readonly HttpMessageInvoker _invoker;

    public GrpcConnection(string endpoint)
    {
        Endpoint = endpoint;
        BaseAddress = new Uri(endpoint.Contains("://") ? endpoint : "http://" + endpoint);
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            // Kestrel allows 100 streams per connection by default; long-lived watches must not starve unary calls.
            EnableMultipleHttp2Connections = true,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            // Real etcd answers pings sent more often than every 5 s with GOAWAY ENHANCE_YOUR_CALM.
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            InitialHttp2StreamWindowSize = 1 << 20,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        });
    }

    public string Endpoint { get; }
    public Uri BaseAddress { get; }

    /// <summary>Makes a gRPC request message: POST, HTTP/2 exactly, te: trailers.</summary>
    internal HttpRequestMessage NewRequest(string path, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TE.ParseAdd("trailers");
        content.Headers.ContentType = GrpcContentType;
        return request;
    }

    internal Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
        _invoker.SendAsync(request, ct);

    /// <summary>One unary call: one frame out, one frame and an OK status back.</summary>
    public async Task<TResponse> UnaryAsync<TResponse>(GrpcMethod<TResponse> method, IMessage request, CancellationToken ct)
        where TResponse : IMessage<TResponse>
    {
        using var httpRequest = NewRequest(method.Path, new ByteArrayContent(GrpcFrame.Encode(request)));
        using var response = await _invoker.SendAsync(httpRequest, ct).ConfigureAwait(false);
        GrpcTrailers.ThrowIfHttpFailed(response);
        if (GrpcTrailers.CheckStatus(response.Headers))
            throw new GrpcStatusException(13, "trailers-only OK response without a message");

        // Reading to the end is what fills TrailingHeaders.
        var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        if (!GrpcTrailers.CheckStatus(response.TrailingHeaders))
            throw new GrpcStatusException(13, "response ended without grpc-status");
        if (body.Length < GrpcFrame.HeaderSize)
            throw new GrpcStatusException(13, "OK status without a response message");
        var length = GrpcFrame.ReadLength(body);
        return method.Parser.ParseFrom(body, GrpcFrame.HeaderSize, length);
    }

    /// <summary>Opens a bidirectional stream; requests are sent as they are queued, responses read one by one.</summary>
    public GrpcDuplexCall<TResponse> Duplex<TResponse>(GrpcMethod<TResponse> method, CancellationToken ct)
        where TResponse : IMessage<TResponse> => new(this, method, ct);

    public void Dispose() => _invoker.Dispose();
}
