using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Threading.Channels;
using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Transport;

/// <summary>
/// The never-ending request body of one outbound peer stream: drains the peer's queue into batch frames and
/// flushes after each batch. Ownership: several attempts may each create one, but only the holder of
/// <paramref name="readerLease"/> reads the queue, so the queue keeps a single reader and messages stay in order.
/// A message taken from the queue when the stream breaks is lost; Raft retransmits.
/// </summary>
internal sealed class MessageStreamContent(
    ChannelReader<Message> queue,
    SemaphoreSlim readerLease,
    PeerTransportOptions options,
    PeerTransportStatistics statistics,
    CancellationToken attemptToken) : HttpContent
{
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the body writer stops; faulted with the write error if the stream broke.</summary>
    public Task Ended => _ended.Task;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attemptToken);
        var token = linked.Token;
        try
        {
            // HttpClient holds back HTTP/2 request headers until the body's first write or flush; flush now so
            // the peer sees (and accepts or refuses) the stream even while the queue is empty.
            await stream.FlushAsync(token).ConfigureAwait(false);
            await readerLease.WaitAsync(token).ConfigureAwait(false);
            try
            {
                await WriteBatchesAsync(stream, token).ConfigureAwait(false);
            }
            finally
            {
                readerLease.Release();
            }
            _ended.TrySetResult();
        }
        catch (Exception e)
        {
            _ended.TrySetException(e);
            throw;
        }
    }

    private async Task WriteBatchesAsync(Stream stream, CancellationToken token)
    {
        var frame = new ArrayBufferWriter<byte>(64 * 1024);
        var header = new byte[MessageBatchCodec.FrameHeaderBytes];
        // Completing the queue (peer removed) ends the body, which half-closes the stream.
        while (await queue.WaitToReadAsync(token).ConfigureAwait(false))
        {
            frame.ResetWrittenCount();
            var count = 0;
            // Batch invariant: frame < MaxBatchBytes before each add, and each message is below
            // MaxFrameBytes - MaxBatchBytes (checked in Send), so a frame never exceeds MaxFrameBytes.
            while (count < options.MaxBatchMessages && frame.WrittenCount < options.MaxBatchBytes &&
                   queue.TryRead(out var message))
            {
                RaftMessageCodec.Encode(message, frame);
                count++;
            }
            if (count == 0) continue;
            BinaryPrimitives.WriteUInt32BigEndian(header, (uint)frame.WrittenCount);
            await stream.WriteAsync(header, token).ConfigureAwait(false);
            await stream.WriteAsync(frame.WrittenMemory, token).ConfigureAwait(false);
            await stream.FlushAsync(token).ConfigureAwait(false);
            Interlocked.Increment(ref statistics.batchesSent);
            Interlocked.Add(ref statistics.messagesSent, count);
            if (frame.Capacity > 4 * options.MaxBatchBytes) frame = new ArrayBufferWriter<byte>(64 * 1024);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
