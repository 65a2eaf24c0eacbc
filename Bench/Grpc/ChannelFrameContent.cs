using System.Net;
using System.Threading.Channels;

namespace Coordinator.Bench.Grpc;

/// <summary>
/// A request body that writes gRPC frames as they arrive on a channel and flushes after each batch.
/// Returning from SerializeToStreamAsync half-closes the request stream, so it returns only when the channel completes.
/// </summary>
internal sealed class ChannelFrameContent(ChannelReader<byte[]> frames) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken ct)
    {
        while (await frames.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            while (frames.TryRead(out var frame))
                await stream.WriteAsync(frame, ct).ConfigureAwait(false);
            await stream.FlushAsync(ct).ConfigureAwait(false);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
