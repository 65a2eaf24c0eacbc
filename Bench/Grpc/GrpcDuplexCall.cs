using System.Buffers;
using System.Threading.Channels;
using Google.Protobuf;

namespace Coordinator.Bench.Grpc;

/// <summary>
/// A bidirectional gRPC stream (Watch, LeaseKeepAlive). Send may be called from any thread;
/// Receive must be called by one reader at a time.
/// </summary>
public sealed class GrpcDuplexCall<TResponse> : IAsyncDisposable where TResponse : IMessage<TResponse>
{
    private readonly Channel<byte[]> _outgoing = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly GrpcMethod<TResponse> _method;
    private readonly CancellationTokenSource _cts;
    private readonly Task<HttpResponseMessage> _responseTask;
    private readonly byte[] _header = new byte[GrpcFrame.HeaderSize];
    private HttpResponseMessage? _response;
    private Stream? _body;

    internal GrpcDuplexCall(GrpcConnection connection, GrpcMethod<TResponse> method, CancellationToken ct)
    {
        _method = method;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var request = connection.NewRequest(method.Path, new ChannelFrameContent(_outgoing.Reader));
        // Servers may send response headers only with their first message, so the send is not awaited here.
        _responseTask = connection.SendAsync(request, _cts.Token);
    }

    public void Send(IMessage request) => _outgoing.Writer.TryWrite(GrpcFrame.Encode(request));

    /// <summary>Half-closes the request side.</summary>
    public void CompleteRequests() => _outgoing.Writer.TryComplete();

    /// <summary>The next response, or null when the server ended the stream with status OK.</summary>
    public async ValueTask<TResponse?> ReceiveAsync(CancellationToken ct)
    {
        if (_body is null)
        {
            _response = await _responseTask.ConfigureAwait(false);
            GrpcTrailers.ThrowIfHttpFailed(_response);
            if (GrpcTrailers.CheckStatus(_response.Headers))
                return default;
            _body = await _response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        }

        if (!await ReadExactlyOrEnd(_header, ct).ConfigureAwait(false))
        {
            if (!GrpcTrailers.CheckStatus(_response!.TrailingHeaders))
                throw new GrpcStatusException(13, "stream ended without grpc-status");
            return default;
        }
        var length = GrpcFrame.ReadLength(_header);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            await _body.ReadExactlyAsync(buffer.AsMemory(0, length), ct).ConfigureAwait(false);
            return _method.Parser.ParseFrom(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask<bool> ReadExactlyOrEnd(byte[] into, CancellationToken ct)
    {
        var read = await _body!.ReadAtLeastAsync(into, into.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        if (read == 0)
            return false;
        if (read < into.Length)
            throw new GrpcStatusException(13, "stream ended inside a frame header");
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _outgoing.Writer.TryComplete();
        _cts.Cancel();
        try { (await _responseTask.ConfigureAwait(false)).Dispose(); }
        catch { /* the call was cancelled or failed; nothing left to release */ }
        _cts.Dispose();
    }
}
