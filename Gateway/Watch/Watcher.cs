using Etcdserverpb;
using Mvccpb;

namespace Coordinator.Gateway.Watch;

/// <summary>
/// One watch on one stream. Created, changed and removed only under the hub's lock; every mutable field
/// below is guarded by it.
/// </summary>
internal sealed class Watcher
{
    public Watcher(WatchStream stream, long id, WatchKeyRange range, WatchCreateRequest request, long startRevision)
    {
        Stream = stream;
        Id = id;
        Range = range;
        PrevKv = request.PrevKv;
        ProgressNotify = request.ProgressNotify;
        Fragment = request.Fragment;
        NoPut = request.Filters.Contains(WatchCreateRequest.Types.FilterType.Noput);
        NoDelete = request.Filters.Contains(WatchCreateRequest.Types.FilterType.Nodelete);
        MinRevision = startRevision;
    }

    public WatchStream Stream { get; }
    public long Id { get; }
    public WatchKeyRange Range { get; }
    public bool PrevKv { get; }
    public bool ProgressNotify { get; }
    public bool Fragment { get; }
    public bool NoPut { get; }
    public bool NoDelete { get; }

    /// <summary>
    /// The lowest revision this watch may still have to send. Unsynced: exactly where catch-up resumes.
    /// Synced: only a lower bound (it has everything up to the hub's published revision); it matters for a
    /// watch whose start_revision lies in the future.
    /// </summary>
    public long MinRevision { get; set; }

    /// <summary>Synced watches receive live events; unsynced ones wait for the catch-up loop.</summary>
    public bool IsSynced { get; set; }

    /// <summary>Set once when canceled or its stream closes; the catch-up loop checks it after reading history.</summary>
    public bool IsRemoved { get; set; }

    /// <summary>Events were sent since the last progress tick, so the next tick owes no progress response.</summary>
    public bool SentSinceProgressTick { get; set; }

    /// <summary>Scratch for one publish: indexes of the batch's events this watch matched.</summary>
    public List<int> Matched { get; } = [];

    public bool Accepts(Event change) =>
        change.Type == Event.Types.EventType.Put ? !NoPut : !NoDelete;
}
