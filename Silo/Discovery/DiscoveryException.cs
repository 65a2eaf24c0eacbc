namespace Coordinator.Silo.Discovery;

/// <summary>Discovery failed; the message is etcd's error text ("discovery: cluster is full", ...) with what
/// failed. <see cref="FullCluster"/> marks the one failure --discovery-fallback is about.</summary>
internal sealed class DiscoveryException(string message, bool fullCluster = false) : Exception(message)
{
    public bool FullCluster { get; } = fullCluster;
}
