namespace Coordinator.Silo.Transport;

/// <summary>The peer answered 412: it belongs to another cluster, or it is not the member we addressed.</summary>
public sealed class PeerRefusedException(ulong peerId, string reason)
    : Exception($"peer {PeerHeaders.FormatId(peerId)} refused us: {reason}")
{
    public ulong PeerId { get; } = peerId;
    public string Reason { get; } = reason;
}
