namespace Coordinator.Silo.Configuration;

public static partial class ConfigParser
{
    /// <summary>Validates the flags of discovery (etcd's --discovery, --discovery-srv, ...).</summary>
    private static DiscoveryConfig BuildDiscovery(Func<string, string> get, Func<string, string?> explicitValue) => DiscoveryConfig.Default;
}
