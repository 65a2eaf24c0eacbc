namespace Coordinator.Silo.Transport;

/// <summary>Monotonic counters of one transport (for tests and diagnostics). Thread-safe.</summary>
public sealed class PeerTransportStatistics
{
    internal long inboundStreamRequests, inboundSnapshotRequests, inboundRpcRequests, refusedRequests;
    internal long batchesReceived, messagesReceived, snapshotsReceived;
    internal long batchesSent, messagesSent, messagesDropped, snapshotChunksSent;

    /// <summary>POST /raft/stream requests accepted (one per connected peer stream).</summary>
    public long InboundStreamRequests => Interlocked.Read(ref inboundStreamRequests);
    public long InboundSnapshotRequests => Interlocked.Read(ref inboundSnapshotRequests);
    public long InboundRpcRequests => Interlocked.Read(ref inboundRpcRequests);
    /// <summary>Requests answered 412 (wrong cluster or wrong addressee).</summary>
    public long RefusedRequests => Interlocked.Read(ref refusedRequests);
    public long BatchesReceived => Interlocked.Read(ref batchesReceived);
    public long MessagesReceived => Interlocked.Read(ref messagesReceived);
    public long SnapshotsReceived => Interlocked.Read(ref snapshotsReceived);
    /// <summary>Batch frames written and flushed (one flush per batch).</summary>
    public long BatchesSent => Interlocked.Read(ref batchesSent);
    public long MessagesSent => Interlocked.Read(ref messagesSent);
    /// <summary>Messages dropped: queue overflow, unknown peer, above the frame limit.</summary>
    public long MessagesDropped => Interlocked.Read(ref messagesDropped);
    public long SnapshotChunksSent => Interlocked.Read(ref snapshotChunksSent);
}
