using Microsoft.Extensions.Logging;

namespace Coordinator.Silo.Transport;

/// <summary>Log lines of the peer transport. Connection state lines are emitted once per state change.</summary>
internal static partial class TransportLog
{
    [LoggerMessage(1, LogLevel.Information, "Peer {PeerId:x} at {Url}: stream connected")]
    public static partial void PeerConnected(ILogger logger, ulong peerId, Uri url);

    [LoggerMessage(2, LogLevel.Warning, "Peer {PeerId:x} at {Url}: stream lost or unreachable ({Reason}); reconnecting with backoff")]
    public static partial void PeerDisconnected(ILogger logger, ulong peerId, Uri url, string reason);

    [LoggerMessage(3, LogLevel.Error, "Peer {PeerId:x} at {Url} refused us: {Reason}. Check the peer URLs and cluster id; backing off")]
    public static partial void PeerRefused(ILogger logger, ulong peerId, Uri url, string reason);

    [LoggerMessage(15, LogLevel.Error, "Peer {PeerId:x} at {Url}: {Reason}. Check the peer certificates and CA (--peer-cert-file, --peer-trusted-ca-file); retrying with backoff")]
    public static partial void PeerTlsRefused(ILogger logger, ulong peerId, Uri url, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Peer {PeerId:x}: send queue full, dropping messages (Raft will retry)")]
    public static partial void QueueOverflow(ILogger logger, ulong peerId);

    [LoggerMessage(5, LogLevel.Information, "Peer {PeerId:x}: snapshot {Term}/{Index} ({Bytes} bytes) delivered")]
    public static partial void SnapshotSent(ILogger logger, ulong peerId, ulong term, ulong index, long bytes);

    [LoggerMessage(6, LogLevel.Warning, "Peer {PeerId:x}: snapshot {Term}/{Index} not delivered: {Reason}")]
    public static partial void SnapshotFailed(ILogger logger, ulong peerId, ulong term, ulong index, string reason);

    [LoggerMessage(7, LogLevel.Information, "Received snapshot {Term}/{Index} ({Bytes} bytes) from peer {PeerId:x}")]
    public static partial void SnapshotReceived(ILogger logger, ulong peerId, ulong term, ulong index, long bytes);

    [LoggerMessage(8, LogLevel.Warning, "Refused {Path} from {Remote}: {Reason}")]
    public static partial void InboundRefused(ILogger logger, string path, string remote, string reason);

    [LoggerMessage(9, LogLevel.Warning, "Closing inbound {Path} from peer {PeerId:x}: {Reason}")]
    public static partial void InboundProtocolError(ILogger logger, string path, ulong peerId, string reason);

    [LoggerMessage(10, LogLevel.Debug, "Inbound stream from peer {PeerId:x} opened")]
    public static partial void InboundStreamOpened(ILogger logger, ulong peerId);

    [LoggerMessage(11, LogLevel.Debug, "Inbound stream from peer {PeerId:x} closed")]
    public static partial void InboundStreamClosed(ILogger logger, ulong peerId);

    [LoggerMessage(12, LogLevel.Debug, "Dropping message to unknown peer {PeerId:x}")]
    public static partial void UnknownPeer(ILogger logger, ulong peerId);

    [LoggerMessage(13, LogLevel.Warning, "Peer {PeerId:x}: dropping a {Bytes}-byte message above the frame limit")]
    public static partial void MessageTooLarge(ILogger logger, ulong peerId, int bytes);

    [LoggerMessage(14, LogLevel.Warning, "Rpc {Method} from peer {PeerId:x} failed")]
    public static partial void RpcHandlerFailed(ILogger logger, Exception exception, string method, ulong peerId);
}
