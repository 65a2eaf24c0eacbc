namespace Coordinator.Silo.Configuration;

/// <summary>The flags of discovery (etcd's --discovery, --discovery-srv, ...).</summary>
internal static class DiscoveryFlags
{
    public static readonly FlagSpec[] All = [];
}
