using Google.Protobuf;
using Mvccpb;

namespace Coordinator.Grains.Store;

/// <summary>
/// Outcome of applying one Raft entry: the response for the waiting proposer (or the refusal),
/// and the changes, in revision order, for watchers. Events are produced even when nobody waits.
/// </summary>
public sealed class ApplyResult
{
    private static readonly IReadOnlyList<Event> NoEvents = [];

    internal ApplyResult(ulong requestId, IMessage? response, StoreException? error, IReadOnlyList<Event>? events, bool skipped = false)
    {
        RequestId = requestId;
        Response = response;
        Error = error;
        Events = events ?? NoEvents;
        Skipped = skipped;
    }

    /// <summary>The proposer's id from <c>RaftRequest.id</c>.</summary>
    public ulong RequestId { get; }

    /// <summary>The etcd response message (e.g. PutResponse); null on error, skip, or lease expiry.</summary>
    public IMessage? Response { get; }

    public StoreException? Error { get; }

    public IReadOnlyList<Event> Events { get; }

    /// <summary>The entry's index was at or below the applied index (already in the state); nothing changed.</summary>
    public bool Skipped { get; }

    /// <summary>Revision of the last event, or 0 if nothing changed.</summary>
    public long LastRevision => Events.Count == 0 ? 0 : Events[^1].Kv.ModRevision;
}
