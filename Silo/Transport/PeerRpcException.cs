namespace Coordinator.Silo.Transport;

/// <summary>A unary peer call failed on the remote side (no handler, handler error, bad status).</summary>
public sealed class PeerRpcException(ulong peerId, string method, int statusCode, string detail)
    : Exception($"rpc {method} to peer {PeerHeaders.FormatId(peerId)} failed with HTTP {statusCode}: {detail}")
{
    public ulong PeerId { get; } = peerId;
    public string Method { get; } = method;
    public int StatusCode { get; } = statusCode;
}
