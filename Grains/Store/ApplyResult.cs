using Google.Protobuf;
using Etcdserverpb;
using Mvccpb;

namespace Coordinator.Grains.Store;

/// <summary>
/// Outcome of applying one Raft entry: the response for the waiting proposer (or the refusal),
/// and the changes, in revision order, for watchers. Events are produced even when nobody waits.
/// </summary>
public sealed class ApplyResult
{
    private static readonly IReadOnlyList<Event> NoEvents = [];

    internal ApplyResult(ulong requestId, IMessage? response, StoreException? error, IReadOnlyList<Event>? events,
        bool skipped = false, SessionVerdict verdict = SessionVerdict.New)
    {
        RequestId = requestId;
        Response = response;
        Error = error;
        Events = events ?? NoEvents;
        Skipped = skipped;
        Verdict = verdict;
    }

    /// <summary>An entry the session table refused: a duplicate answers with its first result (a copy), a stale
    /// one or a duplicate whose result is gone with an error. Nothing changed.</summary>
    internal static ApplyResult Repeated(ulong requestId, SessionVerdict verdict, RecordedOutcome? first) => first is null
        ? new ApplyResult(requestId, null, new StoreException(StatusCode.Unknown, verdict == SessionVerdict.Duplicate
            ? "etcdserver: request was already applied; its response is no longer kept"
            : "etcdserver: request was given up by its proposer and is not applied"), null, verdict: verdict)
        : new ApplyResult(requestId, first.Response is null ? null : Copy(first.Response), first.Error, null, verdict: verdict);

    /// <summary>The proposer's id from <c>RaftRequest.id</c>.</summary>
    public ulong RequestId { get; }

    /// <summary>The etcd response message (e.g. PutResponse); null on error, skip, or lease expiry.</summary>
    public IMessage? Response { get; }

    public StoreException? Error { get; }

    public IReadOnlyList<Event> Events { get; }

    /// <summary>The entry's index was at or below the applied index (already in the state); nothing changed.</summary>
    public bool Skipped { get; }

    /// <summary>A copy whose response the caller may change (the store keeps the original to answer repeats).</summary>
    public ApplyResult Detached() => Response is null ? this : new ApplyResult(RequestId, Copy(Response), Error, Events, Skipped, Verdict);

    private static IMessage Copy(IMessage response) => response switch
    {
        PutResponse r => r.Clone(),
        DeleteRangeResponse r => r.Clone(),
        TxnResponse r => r.Clone(),
        RangeResponse r => r.Clone(),
        _ => response.Descriptor.Parser.ParseFrom(response.ToByteString()),
    };

    /// <summary>New: the request took effect now. Duplicate or Stale: it did not (see <see cref="RequestSessionTable{TResult}"/>).</summary>
    public SessionVerdict Verdict { get; }

    /// <summary>Revision of the last event, or 0 if nothing changed.</summary>
    public long LastRevision => Events.Count == 0 ? 0 : Events[^1].Kv.ModRevision;
}
