using Coordinator.Gateway.Watch;
using Etcdserverpb;
using Google.Protobuf;

namespace Coordinator.Gateway.Services.Concurrency;

/// <summary>
/// Changes to a few keys or ranges from a revision on, through the member's <see cref="WatchHub"/>: what the
/// recipes' client-side watches are, without a client. One hub stream per wait; dispose it when done.
/// </summary>
internal sealed class KeyEventFeed : IDisposable
{
    private readonly WatchStream _stream;

    private KeyEventFeed(WatchStream stream) => _stream = stream;

    /// <summary>Watches each (key, range_end) from <paramref name="startRevision"/> (inclusive): nothing after a
    /// read at <c>startRevision - 1</c> is missed.</summary>
    public static KeyEventFeed Open(WatchHub hub, long startRevision, params ReadOnlySpan<(ByteString Key, ByteString RangeEnd)> ranges)
    {
        var feed = new KeyEventFeed(hub.OpenStream());
        foreach (var (key, rangeEnd) in ranges)
            feed._stream.Create(new WatchCreateRequest { Key = key, RangeEnd = rangeEnd, StartRevision = startRevision });
        return feed;
    }

    /// <summary>
    /// The next response carrying events, or null when a watch was canceled (its start was compacted away):
    /// the caller must read the keys again and open a new feed. Throws when the hub shuts down.
    /// </summary>
    public async ValueTask<WatchResponse?> NextAsync(CancellationToken cancellationToken)
    {
        var responses = _stream.Responses;
        while (await responses.WaitToReadAsync(cancellationToken))
        {
            while (responses.TryRead(out var response))
            {
                if (response.Canceled) return null;
                if (response.Events.Count > 0) return response;
            }
        }
        throw NodeException.Stopped();
    }

    public void Dispose() => _stream.Dispose();
}
