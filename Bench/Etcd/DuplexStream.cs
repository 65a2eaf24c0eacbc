using System.Threading.Channels;
using Grpc.Core;

namespace Coordinator.Bench.Etcd;

/// <summary>
/// A bidirectional gRPC stream (Watch, LeaseKeepAlive) whose requests may be sent from any thread: they queue and
/// one pump writes them in order (a gRPC stream allows one write at a time). <see cref="ReceiveAsync"/> must be
/// called by one reader at a time. Owns the call.
/// </summary>
public sealed class DuplexStream<TRequest, TResponse> : IAsyncDisposable
{
    private readonly AsyncDuplexStreamingCall<TRequest, TResponse> _call;
    private readonly Channel<TRequest> _outgoing = Channel.CreateUnbounded<TRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;

    internal DuplexStream(AsyncDuplexStreamingCall<TRequest, TResponse> call)
    {
        _call = call;
        _pump = Task.Run(PumpAsync);
    }

    public void Send(TRequest request) => _outgoing.Writer.TryWrite(request);

    /// <summary>Half-closes the request side once the queued requests are written.</summary>
    public void CompleteRequests() => _outgoing.Writer.TryComplete();

    /// <summary>The next response, or default when the server ended the stream with status OK.</summary>
    public async ValueTask<TResponse?> ReceiveAsync(CancellationToken ct) =>
        await _call.ResponseStream.MoveNext(ct).ConfigureAwait(false) ? _call.ResponseStream.Current : default;

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var request in _outgoing.Reader.ReadAllAsync().ConfigureAwait(false))
                await _call.RequestStream.WriteAsync(request).ConfigureAwait(false);
            await _call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException or InvalidOperationException or IOException)
        {
            // The call ended; the reader sees why.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _outgoing.Writer.TryComplete();
        _call.Dispose();
        await _pump.ConfigureAwait(false);
    }
}
