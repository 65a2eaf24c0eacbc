using System.Threading.Channels;
using Coordinator.Grains.Store.V2;

namespace Coordinator.Gateway.Http.V2;

/// <summary>One wait=true request (etcd's watcher): receives matching events at or after <see cref="SinceIndex"/>
/// through a 100-event buffer; a watcher that falls that far behind is closed. Dispose removes it from the hub.</summary>
public sealed class V2Watcher : IDisposable
{
    private readonly Channel<V2Event> _events = Channel.CreateBounded<V2Event>(new BoundedChannelOptions(100) { SingleReader = true });
    private readonly V2WatcherHub _hub;

    internal V2Watcher(V2WatcherHub hub, string key, bool recursive, bool stream, ulong sinceIndex, ulong startIndex)
    {
        _hub = hub;
        Key = key;
        Recursive = recursive;
        Stream = stream;
        SinceIndex = sinceIndex;
        StartIndex = startIndex;
    }

    public string Key { get; }
    public bool Recursive { get; }
    public bool Stream { get; }
    public ulong SinceIndex { get; }
    /// <summary>The store index when the watch started (its X-Etcd-Index).</summary>
    public ulong StartIndex { get; }
    internal bool Removed { get; set; }

    public ChannelReader<V2Event> Events => _events.Reader;

    /// <summary>etcd's watcher.notify: true when the event is for this watcher (a one-shot watcher is then done).</summary>
    internal bool Notify(V2Event e, bool originalPath, bool deleted)
    {
        if (!(Recursive || originalPath || deleted) || e.Index < SinceIndex) return false;
        if (!_events.Writer.TryWrite(e)) _events.Writer.TryComplete(); // too slow: closed, as etcd drops it
        return true;
    }

    internal void Post(V2Event e) => _events.Writer.TryWrite(e);

    internal void Close() => _events.Writer.TryComplete();

    public void Dispose()
    {
        _hub.Remove(this);
        _events.Writer.TryComplete();
    }
}
