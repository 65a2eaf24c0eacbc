using Google.Protobuf;

namespace Coordinator.Tests.Gateway;

/// <summary>An open bidirectional call: send requests, read responses, half-close, read the status.</summary>
public sealed class DuplexCall<TResponse>(
    HttpRequestMessage request, HttpResponseMessage response, StreamingContent content,
    MessageParser<TResponse> parser, Stream responseStream) : IDisposable
    where TResponse : IMessage<TResponse>
{
    public HttpResponseMessage Response => response;

    public ValueTask SendAsync(IMessage message) => content.WriteAsync(GrpcWire.Frame(message));

    public void CompleteRequests() => content.Complete();

    /// <summary>The next response, or default when the server ended the stream.</summary>
    public async Task<TResponse?> ReadAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var frame = await GrpcWire.ReadFrameAsync(responseStream, cts.Token);
        return frame is null ? default : parser.ParseFrom(frame);
    }

    /// <summary>Reads to the end and returns the status from the trailers.</summary>
    public async Task<(int Status, string? Message)> StatusAsync()
    {
        while (await ReadAsync() is not null) { }
        var (status, message, _) = GrpcWire.Status(response);
        return (status, message);
    }

    public void Dispose()
    {
        content.Complete();
        response.Dispose();
        request.Dispose();
    }
}
