using Mvccpb;

namespace Coordinator.Gateway.Watch;

public sealed partial class WatchHub
{
    // Publish scratch, used only under _gate.
    private readonly List<Watcher> _matches = [];
    private readonly List<Watcher> _touched = [];

    /// <summary>
    /// The apply loop's callback: one applied entry's events (revision order) and the store revision after it.
    /// Never blocks on a client and never throws into the apply loop. A watch whose stream has no room
    /// becomes unsynced from the first revision it did not get.
    /// </summary>
    private void OnApplied(IReadOnlyList<Event> events, long revision)
    {
        try
        {
            lock (_gate)
            {
                var previous = _published;
                _published = Math.Max(previous, revision);
                if (events.Count == 0 || _index.Count == 0 || _disposed) return;

                var batch = new EventBatch(events);
                for (var i = 0; i < events.Count; i++)
                {
                    if (events[i].Kv.ModRevision <= previous) continue;
                    _matches.Clear();
                    _index.CollectMatches(events[i].Kv.Key.Span, _matches);
                    foreach (var watcher in _matches)
                    {
                        if (!watcher.IsSynced) continue;
                        if (watcher.Matched.Count == 0) _touched.Add(watcher);
                        watcher.Matched.Add(i);
                    }
                }

                foreach (var watcher in _touched)
                {
                    DeliverLive(watcher, batch, previous);
                    watcher.Matched.Clear();
                }
                _touched.Clear();
                _matches.Clear();
            }
        }
        catch (Exception e)
        {
            WatchLog.PublishFailed(_logger, revision, e);
        }
    }

    private void DeliverLive(Watcher watcher, EventBatch batch, long previous)
    {
        var responses = BuildResponses(watcher, batch, watcher.Matched, _published);
        if (responses.Count == 0) return;
        if (!watcher.Stream.HasRoomFor(responses.Count))
        {
            // It has everything through `previous`; the rest comes from history once the reader catches up.
            watcher.MinRevision = Math.Max(watcher.MinRevision, previous + 1);
            MarkUnsynced(watcher);
            WatchLog.WatchFellBehind(_logger, watcher.Id, watcher.MinRevision);
            return;
        }
        foreach (var response in responses) watcher.Stream.Enqueue(response);
        watcher.SentSinceProgressTick = true;
    }
}
