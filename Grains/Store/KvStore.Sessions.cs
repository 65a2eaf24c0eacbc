using Coordinator.Protocol.Internal;

namespace Coordinator.Grains.Store;

// At most once: the request session table, consulted and updated by Apply under the write lock.
public sealed partial class KvStore
{
    private RequestSessionTable<RecordedOutcome> _sessions = new();

    /// <summary>Sessions currently remembered (for metrics and tests).</summary>
    public int SessionCount => Read(() => _sessions.Count);

    /// <summary>Null when the request is new; else the result to answer its repeat with.</summary>
    private ApplyResult? CheckSession(RaftRequest request, ulong raftIndex)
    {
        var verdict = _sessions.Check(request.Session, request.Id, out var first);
        if (verdict == SessionVerdict.New) return null;
        _sessions.Observe(request.Session, request.Floor, raftIndex);
        return ApplyResult.Repeated(request.Id, verdict, first);
    }

    private void RecordSession(RaftRequest request, ulong raftIndex, ApplyResult result) =>
        _sessions.Record(request.Session, request.Id, request.Floor, raftIndex,
            new RecordedOutcome(request.CommandCase, result.Response, result.Error));
}
