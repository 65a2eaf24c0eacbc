using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Hosting;

/// <summary>What the replica host needs from the peer transport.</summary>
public interface IPeerNetwork
{
    /// <summary>Queues messages for their destinations; never blocks.</summary>
    void Send(IReadOnlyList<Message> messages);
    /// <summary>Makes the set of peers (other members and their peer URLs) exactly this.</summary>
    void SetPeers(IReadOnlyDictionary<ulong, IReadOnlyList<Uri>> peers);
    /// <summary>A unary call to a peer's handler (lease forwarding).</summary>
    Task<byte[]> CallAsync(ulong peer, string method, byte[] body, CancellationToken cancellationToken);
}
