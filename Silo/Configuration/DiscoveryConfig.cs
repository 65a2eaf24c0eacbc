namespace Coordinator.Silo.Configuration;

/// <summary>The validated settings of discovery (etcd's --discovery, --discovery-srv, ...).</summary>
public sealed record DiscoveryConfig
{
    public static readonly DiscoveryConfig Default = new();
}
