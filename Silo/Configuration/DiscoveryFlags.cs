namespace Coordinator.Silo.Configuration;

/// <summary>The flags of discovery (etcd's --discovery, --discovery-srv, ...), plus two of ours that bound what
/// etcd leaves unbounded or fixed: how often an unreachable discovery service is retried, and which DNS server
/// SRV lookups ask.</summary>
internal static class DiscoveryFlags
{
    public static readonly FlagSpec[] All =
    [
        new("discovery", "", "Discovery URL used to bootstrap the cluster (etcd's v2 discovery protocol, e.g. http://host:2379/v2/keys/_etcd/registry/<token>)."),
        new("discovery-fallback", "proxy", "Expected behavior ('exit' or 'proxy') when discovery services fails. 'proxy' is refused with a message: Coordinator has no v2 proxy mode."),
        new("discovery-proxy", "", "HTTP proxy to use for traffic to discovery service."),
        new("discovery-srv", "", "DNS domain used to bootstrap initial cluster (_etcd-server-ssl._tcp and _etcd-server._tcp SRV records)."),
        new("discovery-srv-name", "", "Service name to query when using DNS discovery (_etcd-server-<name>._tcp)."),
        new("discovery-retries", "8", "Coordinator's own: how often an unreachable discovery service is retried (backoff 2 s, 4 s, ... up to 256 s) before giving up."),
        new("dns-server", "", "Coordinator's own: DNS server (ip:port) that --discovery-srv asks, instead of the system's resolver."),
    ];
}
