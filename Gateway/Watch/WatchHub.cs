using Coordinator.Grains.Store;
using Etcdserverpb;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coordinator.Gateway.Watch;

/// <summary>
/// The member's watch fan-out: takes the applied changes from an <see cref="IWatchEventSource"/> and feeds
/// every watch of every <see cref="WatchStream"/>, the way etcd's watchable store does.
/// </summary>
/// <remarks>
/// <para>A watch is <i>synced</i> when it has been sent everything up to the published revision; publishing
/// then only appends to its stream's buffer. A watch is <i>unsynced</i> while it replays history (a past
/// start_revision) or after its stream's buffer was full: a background loop reads
/// <see cref="KvStore.EventsSince"/> for it and hands it back to live delivery exactly at the published
/// revision, so nothing is missed or sent twice. If its position falls below the compaction it is canceled
/// with compact_revision.</para>
/// <para>The publisher never waits for a client: under one short lock it matches events against an index of
/// watches and queues responses. History is read outside that lock.</para>
/// </remarks>
public sealed partial class WatchHub : IDisposable
{
    // Guards every watch, every stream's watch table and the fields below; responses are queued under it.
    private readonly Lock _gate = new();
    private readonly KvStore _store;
    private readonly WatchHubOptions _options;
    private readonly ILogger _logger;
    private readonly int _maxResponseBytes;
    private readonly WatcherIndex _index = new();
    private readonly HashSet<Watcher> _unsynced = [];
    private readonly HashSet<Watcher> _progressNotified = [];
    private readonly HashSet<WatchStream> _streams = [];
    private readonly IDisposable _subscription;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _catchUpLoop;
    private readonly ITimer _progressTimer;
    private bool _disposed;

    // Revision the source has published through: every event at or below it was offered to synced watches.
    // Never decreases; events at or below it that are published again are ignored.
    private long _published;

    public WatchHub(KvStore store, IWatchEventSource source, WatchHubOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPendingResponses, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CatchUpBatchEvents, 1);
        _store = store;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _maxResponseBytes = options.MaxResponseBytes ?? store.Options.MaxRequestBytes;

        lock (_gate)
        {
            _subscription = source.Subscribe(OnApplied);
            // Anything applied before this point is history: watches reach it through catch-up.
            _published = store.CurrentRevision;
        }
        _catchUpLoop = Task.Run(() => RunCatchUpAsync(_stopping.Token));
        _progressTimer = options.TimeProvider.CreateTimer(_ => OnProgressTick(), null, options.ProgressInterval, options.ProgressInterval);
    }

    /// <summary>The revision the hub has delivered through to synced watches.</summary>
    public long PublishedRevision
    {
        get { lock (_gate) return _published; }
    }

    /// <summary>Watches on all open streams.</summary>
    public int WatcherCount
    {
        get { lock (_gate) return _index.Count; }
    }

    /// <summary>Watches currently replaying history or waiting for their stream to drain.</summary>
    public int UnsyncedWatcherCount
    {
        get { lock (_gate) return _unsynced.Count; }
    }

    /// <summary>Opens a stream for one Watch RPC. Safe from any thread.</summary>
    public WatchStream OpenStream()
    {
        var stream = new WatchStream(this, _options.MaxPendingResponses);
        lock (_gate)
        {
            if (_disposed) stream.MarkClosed();
            else _streams.Add(stream);
        }
        return stream;
    }

    /// <summary>Stops receiving events and closes every stream (their readers complete after draining).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _subscription.Dispose();
        _progressTimer.Dispose();
        _stopping.Cancel();
        try { _catchUpLoop.Wait(TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { }
        lock (_gate)
        {
            foreach (var stream in _streams.ToArray()) CloseStreamLocked(stream);
        }
        _stopping.Dispose();
    }

    internal long CreateWatch(WatchStream stream, WatchCreateRequest request)
    {
        bool needsCatchUp;
        long id;
        lock (_gate)
        {
            if (stream.IsClosed) return -1;
            var storeRevision = _store.CurrentRevision;
            var range = WatchKeyRange.From(request.Key, request.RangeEnd);
            if (range is null) return Refuse(stream, storeRevision, WatchCancelReasons.EmptyRange);

            id = request.WatchId;
            if (id == 0)
            {
                while (stream.Watchers.ContainsKey(stream.NextAutoId)) stream.NextAutoId++;
                id = stream.NextAutoId++;
            }
            else if (stream.Watchers.ContainsKey(id))
            {
                return Refuse(stream, storeRevision, WatchCancelReasons.DuplicateId);
            }

            // etcd: 0 means "after what the store holds now"; a negative start replays everything retained.
            var start = request.StartRevision == 0 ? storeRevision + 1 : Math.Max(request.StartRevision, 1);
            var watcher = new Watcher(stream, id, range, request, start);
            stream.Watchers.Add(id, watcher);
            _index.Add(watcher);
            if (watcher.ProgressNotify) _progressNotified.Add(watcher);
            stream.Enqueue(new WatchResponse { WatchId = id, Created = true, Header = new ResponseHeader { Revision = storeRevision } });

            needsCatchUp = start <= _published;
            if (needsCatchUp) MarkUnsynced(watcher);
            else watcher.IsSynced = true;
        }
        if (needsCatchUp) WakeCatchUp();
        return id;
    }

    internal void RefuseWatch(WatchStream stream, string reason)
    {
        lock (_gate)
        {
            if (!stream.IsClosed) Refuse(stream, _store.CurrentRevision, reason);
        }
    }

    internal bool CancelWatch(WatchStream stream, long watchId)
    {
        lock (_gate)
        {
            if (!stream.Watchers.Remove(watchId, out var watcher)) return false;
            RemoveLocked(watcher);
            stream.Enqueue(new WatchResponse { WatchId = watchId, Canceled = true, Header = new ResponseHeader { Revision = _store.CurrentRevision } });
            SendRequestedProgressIfSynced(stream);
            return true;
        }
    }

    internal void CloseStream(WatchStream stream)
    {
        lock (_gate) CloseStreamLocked(stream);
    }

    private void CloseStreamLocked(WatchStream stream)
    {
        if (stream.IsClosed) return;
        foreach (var watcher in stream.Watchers.Values) RemoveLocked(watcher);
        stream.Watchers.Clear();
        _streams.Remove(stream);
        stream.MarkClosed();
    }

    private static long Refuse(WatchStream stream, long storeRevision, string reason)
    {
        stream.Enqueue(new WatchResponse
        {
            WatchId = -1,
            Created = true,
            Canceled = true,
            CancelReason = reason,
            Header = new ResponseHeader { Revision = storeRevision },
        });
        return -1;
    }

    /// <summary>Takes a watch out of every structure; the caller has removed it from its stream's table.</summary>
    private void RemoveLocked(Watcher watcher)
    {
        watcher.IsRemoved = true;
        _index.Remove(watcher);
        _progressNotified.Remove(watcher);
        if (!watcher.IsSynced && _unsynced.Remove(watcher)) watcher.Stream.AddUnsynced(-1);
    }

    private void MarkUnsynced(Watcher watcher)
    {
        watcher.IsSynced = false;
        if (_unsynced.Add(watcher)) watcher.Stream.AddUnsynced(1);
    }

    private void MarkSynced(Watcher watcher)
    {
        watcher.IsSynced = true;
        if (_unsynced.Remove(watcher)) watcher.Stream.AddUnsynced(-1);
    }

    /// <summary>The events of <paramref name="batch"/> at <paramref name="indexes"/> this watch wants, as responses ready to queue.</summary>
    private List<WatchResponse> BuildResponses(Watcher watcher, EventBatch batch, IEnumerable<int> indexes, long headerRevision)
    {
        WatchResponse? response = null;
        foreach (var i in indexes)
        {
            var change = batch[i];
            if (change.Kv.ModRevision < watcher.MinRevision || !watcher.Accepts(change)) continue;
            response ??= new WatchResponse { WatchId = watcher.Id, Header = new ResponseHeader { Revision = headerRevision } };
            response.Events.Add(batch.For(i, watcher.PrevKv));
        }
        if (response is null) return [];
        return watcher.Fragment ? [.. ResponseFragmenter.Split(response, _maxResponseBytes)] : [response];
    }
}
