using Etcdserverpb;

namespace Coordinator.Gateway.Watch;

public sealed partial class WatchHub
{
    /// <summary>etcd's watch id for a progress response that speaks for the whole stream.</summary>
    public const long StreamProgressWatchId = -1;

    internal void RequestProgress(WatchStream stream)
    {
        lock (_gate)
        {
            if (stream.IsClosed) return;
            stream.ProgressRequested = true;
            SendRequestedProgressIfSynced(stream);
        }
    }

    /// <summary>
    /// Answers a pending progress request once no watch of the stream is behind, so the revision it names is
    /// never ahead of an event still to come (etcd 3.4 answered at once; 3.5 fixed that by waiting).
    /// </summary>
    private void SendRequestedProgressIfSynced(WatchStream stream)
    {
        if (!stream.ProgressRequested || stream.UnsyncedCount > 0) return;
        stream.ProgressRequested = false;
        stream.Enqueue(new WatchResponse { WatchId = StreamProgressWatchId, Header = new ResponseHeader { Revision = _published } });
    }

    /// <summary>
    /// Every <see cref="WatchHubOptions.ProgressInterval"/>: synced progress_notify watches that sent nothing
    /// since the previous tick get an empty response with the published revision (skipped if their stream is full).
    /// </summary>
    private void OnProgressTick()
    {
        try
        {
            lock (_gate)
            {
                if (_disposed) return;
                foreach (var watcher in _progressNotified)
                {
                    if (watcher.IsSynced && !watcher.SentSinceProgressTick && watcher.Stream.HasRoomFor(1))
                        watcher.Stream.Enqueue(new WatchResponse { WatchId = watcher.Id, Header = new ResponseHeader { Revision = _published } });
                    watcher.SentSinceProgressTick = false;
                }
            }
        }
        catch (Exception e)
        {
            WatchLog.ProgressFailed(_logger, e);
        }
    }
}
