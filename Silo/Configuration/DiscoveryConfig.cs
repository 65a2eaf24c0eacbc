using System.Net;

namespace Coordinator.Silo.Configuration;

/// <summary>The validated settings of discovery (etcd's --discovery, --discovery-srv, ...). At most one of
/// <see cref="Url"/>, <see cref="SrvDomain"/> and an explicit --initial-cluster is set (etcd's rule).</summary>
public sealed record DiscoveryConfig
{
    public static readonly DiscoveryConfig Default = new();

    /// <summary>--discovery: the registry directory on a v2 keys API; also the cluster token, as in etcd.</summary>
    public Uri? Url { get; init; }
    /// <summary>--discovery-fallback: "exit" or "proxy" (what to do when the discovery cluster is full).</summary>
    public string Fallback { get; init; } = "proxy";
    /// <summary>--discovery-proxy: HTTP proxy for the registry's traffic.</summary>
    public Uri? Proxy { get; init; }
    /// <summary>--discovery-srv: the DNS domain whose SRV records list the initial cluster.</summary>
    public string? SrvDomain { get; init; }
    /// <summary>--discovery-srv-name: suffix of the SRV service names (_etcd-server-NAME).</summary>
    public string SrvName { get; init; } = "";
    /// <summary>--discovery-retries: retries of an unreachable registry before the start fails.</summary>
    public int Retries { get; init; } = 8;
    /// <summary>--dns-server: where SRV and host lookups go; null is the system's resolver.</summary>
    public IPEndPoint? DnsServer { get; init; }

    public bool Enabled => Url is not null || SrvDomain is not null;
}
