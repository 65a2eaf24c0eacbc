using Google.Protobuf;

namespace Coordinator.Tests.Gateway;

/// <summary>An open bidirectional call: send requests, read responses, half-close, read the status. The
/// response headers are awaited only by the first read: a gRPC server may send them with its first message.</summary>
public sealed class DuplexCall<TResponse>(
    HttpRequestMessage request, Task<HttpResponseMessage> responseTask, StreamingContent content,
    MessageParser<TResponse> parser) : IDisposable
    where TResponse : IMessage<TResponse>
{
    private HttpResponseMessage? _response;
    private Stream? _responseStream;

    public HttpResponseMessage Response => _response ?? throw new InvalidOperationException("no response read yet");

    public ValueTask SendAsync(IMessage message) => content.WriteAsync(GrpcWire.Frame(message));

    /// <summary>Sends exactly these bytes (a garbled or partial frame).</summary>
    public ValueTask SendRawAsync(byte[] bytes) => content.WriteAsync(bytes);

    public void CompleteRequests() => content.Complete();

    /// <summary>The next response, or default when the server ended the stream.</summary>
    public async Task<TResponse?> ReadAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        if (_responseStream is null)
        {
            _response = await responseTask.WaitAsync(cts.Token);
            _responseStream = await _response.Content.ReadAsStreamAsync(cts.Token);
        }
        var frame = await GrpcWire.ReadFrameAsync(_responseStream, cts.Token);
        return frame is null ? default : parser.ParseFrom(frame);
    }

    /// <summary>Reads to the end and returns the status from the trailers.</summary>
    public async Task<(int Status, string? Message)> StatusAsync()
    {
        while (await ReadAsync() is not null) { }
        var (status, message, _) = GrpcWire.Status(Response);
        return (status, message);
    }

    public void Dispose()
    {
        content.Complete();
        _response?.Dispose();
        request.Dispose();
    }
}
