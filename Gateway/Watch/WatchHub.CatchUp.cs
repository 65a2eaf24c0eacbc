using System.Threading.Channels;
using Coordinator.Grains.Store;
using Etcdserverpb;
using Mvccpb;

namespace Coordinator.Gateway.Watch;

public sealed partial class WatchHub
{
    // Capacity 1, extra wake-ups dropped: a wake-up only means "look again".
    private readonly Channel<bool> _wakeCatchUp =
        Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Asks the catch-up loop to look at unsynced watches now. Cheap, safe from any thread.</summary>
    internal void WakeCatchUp() => _wakeCatchUp.Writer.TryWrite(true);

    /// <summary>The only task that reads history for watches (etcd's syncWatchersLoop).</summary>
    private async Task RunCatchUpAsync(CancellationToken stopping)
    {
        Task<bool>? wake = null;
        while (!stopping.IsCancellationRequested)
        {
            bool again;
            try
            {
                again = CatchUpPass();
            }
            catch (Exception e)
            {
                WatchLog.CatchUpFailed(_logger, e);
                again = false;
            }

            try
            {
                if (again)
                {
                    await Task.Yield();
                    continue;
                }
                wake ??= _wakeCatchUp.Reader.WaitToReadAsync(stopping).AsTask();
                await Task.WhenAny(wake, Task.Delay(_options.SyncRetryInterval, _options.TimeProvider, stopping));
                if (wake.IsCompleted)
                {
                    wake = null;
                    _wakeCatchUp.Reader.TryRead(out _);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One step for every unsynced watch whose stream has room; true if another pass should follow at once.</summary>
    private bool CatchUpPass()
    {
        Watcher[] ready;
        lock (_gate) ready = _unsynced.Where(w => w.Stream.HasRoomForCatchUp).ToArray();
        if (ready.Length == 0) return false;

        var moved = false;
        foreach (var watcher in ready) moved |= CatchUp(watcher);
        return moved;
    }

    /// <summary>
    /// Sends one watch the history from its position up to what the read covered and the hub has published,
    /// then, if that reaches the published revision, makes it synced — under the same lock the publisher
    /// takes, so the next published event is the first it gets live. True if the watch changed state.
    /// </summary>
    private bool CatchUp(Watcher watcher)
    {
        long from;
        lock (_gate)
        {
            if (watcher.IsRemoved || watcher.IsSynced) return false;
            from = watcher.MinRevision;
        }

        IReadOnlyList<Event> history;
        long coveredThrough;
        try
        {
            (history, coveredThrough) = ReadHistory(watcher.Range, from);
        }
        catch (StoreException e) when (e.Message == StoreErrors.CompactedText)
        {
            lock (_gate)
            {
                if (watcher.IsRemoved || watcher.IsSynced || watcher.MinRevision != from) return false;
                CancelCompactedLocked(watcher);
                return true;
            }
        }

        lock (_gate)
        {
            if (watcher.IsRemoved || watcher.IsSynced || watcher.MinRevision != from) return false;
            var through = Math.Min(coveredThrough, _published);
            var count = 0;
            while (count < history.Count && history[count].Kv.ModRevision <= through) count++;

            foreach (var response in BuildResponses(watcher, new EventBatch(history), Enumerable.Range(0, count), _published))
            {
                watcher.Stream.Enqueue(response);
                watcher.SentSinceProgressTick = true;
            }
            watcher.MinRevision = Math.Max(watcher.MinRevision, through + 1);
            if (coveredThrough >= _published)
            {
                MarkSynced(watcher);
                SendRequestedProgressIfSynced(watcher.Stream);
            }
            return true;
        }
    }

    /// <summary>
    /// History of <paramref name="range"/> from <paramref name="from"/>, with the revision through which it is
    /// complete: the store revision seen before the read (it only grows), or, when the read hit its bound,
    /// the revision before the last one returned (dropped, since it may be incomplete).
    /// </summary>
    private (IReadOnlyList<Event> Events, long CoveredThrough) ReadHistory(WatchKeyRange range, long from)
    {
        var storeRevision = _store.CurrentRevision;
        var limit = _options.CatchUpBatchEvents;
        while (true)
        {
            var events = _store.EventsSince(range.StoreKey, range.StoreRangeEnd, from, limit);
            if (events.Count < limit) return (events, storeRevision);

            var last = events[^1].Kv.ModRevision;
            var complete = events.Count - 1;
            while (complete > 0 && events[complete - 1].Kv.ModRevision == last) complete--;
            if (complete > 0) return (events.Take(complete).ToList(), last - 1);
            limit *= 2; // one revision holds more events than the bound
        }
    }

    /// <summary>etcd cancels a watch whose position was compacted away, naming the compact revision.</summary>
    private void CancelCompactedLocked(Watcher watcher)
    {
        var stream = watcher.Stream;
        stream.Watchers.Remove(watcher.Id);
        RemoveLocked(watcher);
        var compactRevision = _store.CompactRevision;
        stream.Enqueue(new WatchResponse
        {
            WatchId = watcher.Id,
            Canceled = true,
            CompactRevision = compactRevision,
            Header = new ResponseHeader(),
        });
        WatchLog.WatchCompacted(_logger, watcher.Id, watcher.MinRevision, compactRevision);
        SendRequestedProgressIfSynced(stream);
    }
}
