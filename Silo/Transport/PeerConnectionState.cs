namespace Coordinator.Silo.Transport;

/// <summary>State of the outbound message stream to one peer.</summary>
public enum PeerConnectionState
{
    /// <summary>No stream yet (first attempt under way) or the peer was removed.</summary>
    Connecting,
    Connected,
    /// <summary>The last attempt failed or the stream broke; retrying with backoff.</summary>
    Disconnected,
    /// <summary>The peer answered 412: it belongs to another cluster or is not the addressed member.</summary>
    Refused,
}
