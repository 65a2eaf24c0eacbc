using System.Net;
using System.Threading.Channels;
using Google.Protobuf;

namespace Coordinator.Client.Transport;

/// <summary>The request body of a streaming call: writes each queued message as a frame and flushes it at once.
/// Completing the channel half-closes the request side.</summary>
internal sealed class StreamingRequestContent<T>(ChannelReader<T> messages, CancellationToken callAborted) : HttpContent
    where T : class, IMessage<T>
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, callAborted);
        try
        {
            await foreach (var message in messages.ReadAllAsync(linked.Token).ConfigureAwait(false))
            {
                await stream.WriteAsync(GrpcFrame.Encode(message), linked.Token).ConfigureAwait(false);
                await stream.FlushAsync(linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (callAborted.IsCancellationRequested)
        {
            // The call is being torn down; the stream reset ends the request side.
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
