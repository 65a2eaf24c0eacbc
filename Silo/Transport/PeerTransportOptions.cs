namespace Coordinator.Silo.Transport;

/// <summary>Settings of one member's <see cref="PeerTransport"/>.</summary>
public sealed record PeerTransportOptions
{
    /// <summary>The cluster this member belongs to; requests from other clusters are refused.</summary>
    public required ulong ClusterId { get; init; }
    /// <summary>This member's id; requests addressed to another member are refused.</summary>
    public required ulong MemberId { get; init; }

    /// <summary>Messages queued per peer before new ones are dropped (and the peer reported unreachable).</summary>
    public int PeerQueueCapacity { get; init; } = 4096;
    /// <summary>Snapshots queued per peer before new ones are dropped (and reported as not delivered).</summary>
    public int SnapshotQueueCapacity { get; init; } = 2;
    /// <summary>Received messages buffered for the host before the peer streams are back-pressured.</summary>
    public int InboundCapacity { get; init; } = 16_384;

    /// <summary>Upper bound of messages per batch frame; a batch also ends when the queue is empty.</summary>
    public int MaxBatchMessages { get; init; } = 1024;
    /// <summary>A batch ends once its encoded size reaches this (one message always fits).</summary>
    public int MaxBatchBytes { get; init; } = 1 << 20;
    /// <summary>Largest frame accepted or sent: bounds what a corrupt length can make the receiver buffer.</summary>
    public int MaxFrameBytes { get; init; } = 64 << 20;
    /// <summary>Largest snapshot payload accepted.</summary>
    public long MaxSnapshotBytes { get; init; } = Array.MaxLength;
    /// <summary>Snapshot data is written (and flushed) in chunks of this size.</summary>
    public int SnapshotChunkBytes { get; init; } = 1 << 20;
    /// <summary>Largest unary RPC request or response body.</summary>
    public int MaxRpcBytes { get; init; } = 16 << 20;

    /// <summary>TLS of dials to https:// peer URLs: client certificate, server checks, protocols (null: the
    /// platform's defaults, no client certificate).</summary>
    public System.Net.Security.SslClientAuthenticationOptions? Tls { get; init; }

    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(50);
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>HTTP/2 PING interval that detects a silently dead peer (kept ≥ 5 s, see WIRE.md).</summary>
    public TimeSpan KeepAlivePingDelay { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan KeepAlivePingTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
