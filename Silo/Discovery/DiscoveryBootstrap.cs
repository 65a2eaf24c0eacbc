using Coordinator.Silo.Cluster;
using Coordinator.Silo.Configuration;
using Microsoft.Extensions.Logging;

namespace Coordinator.Silo.Discovery;

/// <summary>
/// Where the initial cluster is decided when --discovery or --discovery-srv is given: before the data dir is
/// created, so a member whose discovery fails leaves nothing behind. A data dir that already holds a member
/// ignores discovery (its cluster is in its log), as etcd does. The result is the same config with
/// <see cref="CoordinatorConfig.InitialCluster"/> filled in (ordered by member id, so every member writes the same
/// bootstrap entries) and, for --discovery, the discovery URL as the cluster token (as in etcd).
/// </summary>
public static class DiscoveryBootstrap
{
    public static async Task<CoordinatorConfig> ResolveAsync(CoordinatorConfig config, ILogger logger, CancellationToken ct)
    {
        var discovery = config.Discovery;
        if (!discovery.Enabled) return config;
        if (ClusterIdentity.Load(config.DataDir) is not null)
        {
            logger.LogInformation("discovery: ignored, data dir {DataDir} already holds a member", config.DataDir);
            return config;
        }
        try
        {
            return discovery.Url is not null
                ? config.NewCluster ? await FromDiscoveryUrlAsync(config, discovery.Url, logger, ct) : config
                : await FromSrvAsync(config, discovery.SrvDomain!, logger, ct);
        }
        catch (DiscoveryException e) when (discovery.Url is not null)
        {
            var message = $"failed to join discovery cluster ({e.Message})";
            if (e.FullCluster && discovery.Fallback == "proxy")
                message += "; --discovery-fallback=proxy (the default) is not supported: Coordinator has no v2 proxy mode. " +
                           "Add this member to the running cluster with 'etcdctl member add', or pass --discovery-fallback=exit";
            else if (!e.FullCluster)
                message += $"; discovery token {discovery.Url.OriginalString} was used, but failed to bootstrap the cluster: generate a new one";
            throw new ConfigurationException(message);
        }
        catch (DiscoveryException e)
        {
            throw new ConfigurationException($"couldn't resolve during SRV discovery ({e.Message})");
        }
    }

    private static async Task<CoordinatorConfig> FromDiscoveryUrlAsync(CoordinatorConfig config, Uri url, ILogger logger, CancellationToken ct)
    {
        var token = url.OriginalString;
        var memberId = MemberIds.MemberId(config.AdvertisePeerUrls, token);
        var self = string.Join(",", config.AdvertisePeerUrls.Select(u => $"{config.Name}={u.ToString().TrimEnd('/')}").Order(StringComparer.Ordinal));
        logger.LogInformation("discovery: registering {Member:x} ({Self}) at {Url}", memberId, self, token);
        using var registry = new DiscoveryRegistryClient(url, config.Discovery.Proxy);
        var protocol = new V2DiscoveryProtocol(registry, url.AbsolutePath.TrimEnd('/'), memberId, config.Discovery.Retries, logger);
        var registrations = await protocol.JoinAsync(self, ct);

        var byName = new Dictionary<string, List<Uri>>();
        foreach (var pair in string.Join(",", registrations).Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0 || !Uri.TryCreate(pair[(eq + 1)..], UriKind.Absolute, out var peer) || peer.Scheme is not ("http" or "https"))
                throw new DiscoveryException($"discovery: invalid URL (registration \"{pair}\" is not name=url)");
            if (!byName.TryGetValue(pair[..eq], out var urls)) byName[pair[..eq]] = urls = [];
            urls.Add(peer);
        }
        if (byName.Count != registrations.Count)
            throw new DiscoveryException($"discovery: found duplicate name (registrations: {string.Join(",", registrations)})");
        var duplicate = byName.Values.SelectMany(u => u).GroupBy(u => u.ToString()).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new DiscoveryException($"discovery cluster {string.Join(",", registrations)} has duplicate url {duplicate.Key.TrimEnd('/')}");
        if (!byName.ContainsKey(config.Name))
            throw new DiscoveryException($"discovery: the cluster found ({string.Join(",", registrations)}) has no member named {config.Name}");
        logger.LogInformation("discovery: cluster is {Cluster}", string.Join(",", registrations));
        return config with
        {
            InitialCluster = ById(byName.Select(m => (m.Key, (IReadOnlyList<Uri>)m.Value)), token),
            ClusterToken = token,
            ClusterTokenExplicit = false,
        };
    }

    private static async Task<CoordinatorConfig> FromSrvAsync(CoordinatorConfig config, string domain, ILogger logger, CancellationToken ct)
    {
        var dns = new DnsResolver(config.Discovery.DnsServer);
        var found = await SrvClusterLookup.GetClusterAsync(dns, config.Name, domain, config.Discovery.SrvName, config.AdvertisePeerUrls, ct);
        foreach (var (name, url) in found) logger.LogInformation("got bootstrap from DNS for etcd-server: {Name}={Url}", name, url);
        var members = found.GroupBy(m => m.Name).Select(g => (g.Key, (IReadOnlyList<Uri>)g.Select(m => m.PeerUrl).ToList()));
        return config with { InitialCluster = ById(members, config.ClusterToken) };
    }

    private static List<(string Name, IReadOnlyList<Uri> PeerUrls)> ById(IEnumerable<(string Name, IReadOnlyList<Uri> PeerUrls)> members, string token) =>
        members.OrderBy(m => MemberIds.MemberId(m.PeerUrls, token)).ToList();
}
