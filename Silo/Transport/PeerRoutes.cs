namespace Coordinator.Silo.Transport;

/// <summary>Paths of the peer endpoints, relative to a member's peer URL.</summary>
public static class PeerRoutes
{
    public const string Stream = "/raft/stream";
    public const string Snapshot = "/raft/snapshot";
    public const string RpcPrefix = "/raft/rpc/";
}
