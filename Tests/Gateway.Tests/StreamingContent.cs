using System.Net;
using System.Threading.Channels;

namespace Coordinator.Tests.Gateway;

/// <summary>A request body written frame by frame while the call is open; completing it half-closes.</summary>
public sealed class StreamingContent : HttpContent
{
    private readonly Channel<byte[]> _frames = Channel.CreateUnbounded<byte[]>();

    public ValueTask WriteAsync(byte[] frame) => _frames.Writer.WriteAsync(frame);

    public void Complete() => _frames.Writer.TryComplete();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        // SocketsHttpHandler holds HTTP/2 request headers until the body's first flush; a stream whose first
        // message comes later (or never) must open the call now.
        await stream.FlushAsync();
        await foreach (var frame in _frames.Reader.ReadAllAsync())
        {
            await stream.WriteAsync(frame);
            await stream.FlushAsync();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
