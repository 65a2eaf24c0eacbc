using System.Threading.Channels;
using Google.Protobuf;

namespace Coordinator.Gateway.Grpc;

/// <summary>
/// The response side of a streaming call. Producers (any thread) enqueue; one writer task owns the body,
/// drains the queue and flushes once per batch. The queue is bounded: a slow client makes
/// <see cref="WriteAsync"/> wait, so producers with their own buffer (the watch hub) see the backlog.
/// </summary>
public sealed class GrpcResponseStream<TResponse> where TResponse : class, IMessage<TResponse>
{
    /// <summary>Responses queued but not yet written to the body.</summary>
    public const int Capacity = 64;

    private readonly Channel<TResponse> _queue = Channel.CreateBounded<TResponse>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly GrpcCall _call;
    private readonly Task _writer;

    internal GrpcResponseStream(GrpcCall call)
    {
        _call = call;
        _writer = Task.Run(DrainAsync);
    }

    /// <summary>Queues a message; false when the queue is full or the stream has ended.</summary>
    public bool TryWrite(TResponse message) => _queue.Writer.TryWrite(message);

    public ValueTask WriteAsync(TResponse message, CancellationToken cancellationToken = default) =>
        _queue.Writer.WriteAsync(message, cancellationToken);

    /// <summary>Stops accepting messages and waits until the queued ones are written.</summary>
    internal async Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private async Task DrainAsync()
    {
        var reader = _queue.Reader;
        var token = _call.CancellationToken;
        while (await reader.WaitToReadAsync(token))
        {
            while (reader.TryRead(out var message)) _call.WriteFrame(message);
            var flushed = await _call.FlushAsync();
            if (flushed.IsCompleted || flushed.IsCanceled) break;
        }
    }
}
