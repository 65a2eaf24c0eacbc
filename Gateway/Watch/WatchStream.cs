using System.Threading.Channels;
using Etcdserverpb;

namespace Coordinator.Gateway.Watch;

/// <summary>
/// One client watch stream (one etcd Watch RPC): the watches it carries and the buffer of responses the
/// gRPC layer sends. Obtain it from <see cref="WatchHub.OpenStream"/>; dispose it when the RPC ends.
/// </summary>
/// <remarks>
/// <para><b>Threading.</b> <see cref="Create"/>, <see cref="Cancel"/>, <see cref="RequestProgress"/>,
/// <see cref="Handle"/> and <see cref="Dispose"/> are safe from any thread; calls from one thread keep their
/// order in the output. <see cref="Responses"/> is meant for one reader (the RPC's send loop).</para>
/// <para><b>Responses.</b> Each carries <c>Header</c> with only <c>Revision</c> set, as etcd sets it: the
/// store revision for created and canceled, the revision the hub has published through for events and
/// progress, 0 for a cancellation by compaction. The gRPC layer fills <c>ClusterId</c>, <c>MemberId</c> and
/// <c>RaftTerm</c> in place: once read, the response and its header belong to the reader. Its
/// <c>Events</c> are shared with other streams and must not be modified.</para>
/// <para><b>Order.</b> A watch's created response comes first, then its events in revision order without gap
/// or duplicate, never splitting one revision across responses unless the watch asked for fragments.
/// A refused create yields created=true, canceled=true, watch_id=-1 and etcd's cancel_reason.</para>
/// </remarks>
public sealed class WatchStream : IDisposable
{
    private readonly WatchHub _hub;
    private readonly Channel<WatchResponse> _buffer =
        Channel.CreateUnbounded<WatchResponse>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly int _maxPending;

    // Written under the hub's lock, read lock-free by the reader when it frees budget.
    private int _pending;
    private int _unsynced;

    internal WatchStream(WatchHub hub, int maxPending)
    {
        _hub = hub;
        _maxPending = maxPending;
        Responses = new WatchResponseReader(_buffer.Reader, this);
    }

    /// <summary>Responses to send, in order. Completes after <see cref="Dispose"/> (or the hub's disposal).</summary>
    public ChannelReader<WatchResponse> Responses { get; }

    /// <summary>The stream's watches by id (guarded by the hub's lock).</summary>
    internal Dictionary<long, Watcher> Watchers { get; } = [];

    /// <summary>Next id tried for a create with watch_id 0; etcd starts at 0 and skips ids in use.</summary>
    internal long NextAutoId { get; set; }

    /// <summary>A progress request waits for every watch of the stream to be synced (guarded by the hub's lock).</summary>
    internal bool ProgressRequested { get; set; }

    internal bool IsClosed { get; private set; }

    internal int UnsyncedCount => Volatile.Read(ref _unsynced);

    /// <summary>
    /// Creates a watch; its created response (or refusal) is queued on <see cref="Responses"/> before this returns.
    /// start_revision 0 watches from the next revision; a past one replays history first; one below the
    /// compaction is answered by created, then canceled with compact_revision.
    /// </summary>
    /// <returns>The watch id, or -1 if refused (or the stream is closed).</returns>
    public long Create(WatchCreateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _hub.CreateWatch(this, request);
    }

    /// <summary>Refuses a create (e.g. permission denied) with etcd's created+canceled response and <paramref name="reason"/>.</summary>
    public void Refuse(string reason) => _hub.RefuseWatch(this, reason);

    /// <summary>Cancels a watch and queues its canceled response. An unknown id is ignored, as by etcd.</summary>
    public bool Cancel(long watchId) => _hub.CancelWatch(this, watchId);

    /// <summary>
    /// Queues one response with watch_id -1 and no events whose header revision tells the client it has every
    /// event up to it: at once when all watches of the stream are synced, else as soon as they are.
    /// </summary>
    public void RequestProgress() => _hub.RequestProgress(this);

    /// <summary>Dispatches one client request of the Watch RPC.</summary>
    public void Handle(WatchRequest request)
    {
        switch (request.RequestUnionCase)
        {
            case WatchRequest.RequestUnionOneofCase.CreateRequest:
                Create(request.CreateRequest);
                break;
            case WatchRequest.RequestUnionOneofCase.CancelRequest:
                Cancel(request.CancelRequest.WatchId);
                break;
            case WatchRequest.RequestUnionOneofCase.ProgressRequest:
                RequestProgress();
                break;
        }
    }

    /// <summary>Removes every watch of the stream and completes <see cref="Responses"/> (unread responses stay readable).</summary>
    public void Dispose() => _hub.CloseStream(this);

    /// <summary>Queues a response; called only under the hub's lock, so the hub's order is the stream's order.</summary>
    internal void Enqueue(WatchResponse response)
    {
        Interlocked.Increment(ref _pending);
        _buffer.Writer.TryWrite(response);
    }

    /// <summary>True when <paramref name="count"/> more event responses fit (an empty buffer takes anything).</summary>
    internal bool HasRoomFor(int count)
    {
        var pending = Volatile.Read(ref _pending);
        return pending == 0 || pending + count <= _maxPending;
    }

    /// <summary>The reader has drained enough for catch-up to resume (half the budget, so the stream does not flap).</summary>
    internal bool HasRoomForCatchUp => Volatile.Read(ref _pending) <= _maxPending / 2;

    internal void AddUnsynced(int delta) => Interlocked.Add(ref _unsynced, delta);

    internal void MarkClosed()
    {
        IsClosed = true;
        _buffer.Writer.TryComplete();
    }

    internal void OnResponseTaken()
    {
        Interlocked.Decrement(ref _pending);
        if (UnsyncedCount > 0 && HasRoomForCatchUp) _hub.WakeCatchUp();
    }
}
