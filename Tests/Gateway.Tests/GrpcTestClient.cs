using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace Coordinator.Tests.Gateway;

/// <summary>A tiny gRPC caller over HttpClient (h2c prior knowledge, one shared HTTP/2 connection).</summary>
public sealed class GrpcTestClient : IDisposable
{
    private readonly HttpClient _http;

    public GrpcTestClient(int port)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            KeepAlivePingDelay = TimeSpan.FromSeconds(10),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http => _http;

    public async Task<GrpcResult<TResponse>> UnaryAsync<TResponse>(
        string path, IMessage request, MessageParser<TResponse> parser, IDictionary<string, string>? metadata = null)
        where TResponse : IMessage<TResponse>
    {
        var raw = await RawAsync(path, GrpcWire.Frame(request), metadata);
        return new GrpcResult<TResponse>(raw.Status, raw.Message, raw.TrailersOnly, raw.Responses.Select(parser.ParseFrom).ToList());
    }

    /// <summary>Sends exactly <paramref name="body"/> (frames or garbage) and reads every response frame.</summary>
    public async Task<GrpcResult<byte[]>> RawAsync(string path, byte[] body, IDictionary<string, string>? metadata = null)
    {
        var content = new ByteArrayContent(body);
        using var request = NewRequest(path, content, metadata);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var frames = new List<byte[]>();
        while (await GrpcWire.ReadFrameAsync(stream, CancellationToken.None) is { } frame) frames.Add(frame);
        var (status, message, trailersOnly) = GrpcWire.Status(response);
        return new GrpcResult<byte[]>(status, message, trailersOnly, frames);
    }

    public async Task<DuplexCall<TResponse>> DuplexAsync<TResponse>(string path, MessageParser<TResponse> parser,
        IDictionary<string, string>? metadata = null)
        where TResponse : IMessage<TResponse>
    {
        var content = new StreamingContent();
        var request = NewRequest(path, content, metadata);
        var response = _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return await Task.FromResult(new DuplexCall<TResponse>(request, response, content, parser));
    }

    internal static HttpRequestMessage NewRequest(string path, HttpContent content, IDictionary<string, string>? metadata)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in metadata ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    public void Dispose() => _http.Dispose();
}
