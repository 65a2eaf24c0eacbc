using Coordinator.Grains.Raft;
using Coordinator.Silo.Configuration;
using Coordinator.Silo.Storage;

namespace Coordinator.Silo.Cluster;

/// <summary>
/// First start of a data dir: derives the member and cluster ids from --initial-cluster and writes the
/// initial membership into the log as committed config entries 1..N (term 1), so every initial member
/// starts from the same log. Later starts check the data dir's identity instead and ignore the
/// initial-cluster flags, as etcd does.
/// </summary>
public static class MemberBootstrap
{
    /// <summary>Returns this data dir's identity and, for a member joining a running cluster, the member list
    /// the cluster reported (so it can answer the leader before it has applied anything).</summary>
    public static (ClusterIdentity Identity, IReadOnlyList<Member>? KnownMembers) Prepare(CoordinatorConfig config, WriteAheadLog wal,
        System.Net.Security.SslClientAuthenticationOptions? peerTls = null)
    {
        var existing = ClusterIdentity.Load(config.DataDir);
        if (existing is not null)
        {
            existing.CheckMatches(config);
            if (config.ForceNewCluster) ForceNewCluster.Apply(wal, existing.MemberId);
            return (existing, null);
        }
        if (wal.LastIndex > 0 || wal.SnapshotMetadata.Index > 0)
            throw new ConfigurationException($"data dir {config.DataDir} has a log but no member/identity.json: it is damaged or not ours");
        if (config.ForceNewCluster)
            throw new ConfigurationException($"--force-new-cluster needs an existing data dir; {config.DataDir} is empty");
        if (!config.NewCluster) return Join(config, peerTls);

        var members = config.InitialCluster
            .Select(m => (m.Name, Id: MemberIds.MemberId(m.PeerUrls, config.ClusterToken), m.PeerUrls))
            .ToList();
        var self = members.Single(m => m.Name == config.Name);
        var clusterId = MemberIds.ClusterId(members.Select(m => m.Id));
        var entries = members.Select((m, i) => new Entry((ulong)i + 1, 1, EntryType.ConfigChange,
            new ConfigChange(ConfigChangeType.AddVoter, m.Id,
                new Member.Attributes(m.Name, m.PeerUrls.Select(u => u.ToString().TrimEnd('/')).ToList()).Encode()).Encode())).ToList();
        wal.Save(new HardState(1, 0, (ulong)entries.Count), entries);
        var identity = new ClusterIdentity(clusterId, self.Id, config.Name, config.ClusterToken);
        identity.Save(config.DataDir);
        return (identity, null);
    }

    /// <summary>--initial-cluster-state=existing: ask the other members listed in --initial-cluster for the
    /// cluster (GET /members on their peer URLs) and find ourselves in it by our peer URLs (etcdctl member
    /// add must have added us). Our log starts empty; the leader sends us everything.</summary>
    private static (ClusterIdentity, IReadOnlyList<Member>) Join(CoordinatorConfig config, System.Net.Security.SslClientAuthenticationOptions? peerTls)
    {
        var ours = config.AdvertisePeerUrls.Select(u => u.ToString().TrimEnd('/')).ToHashSet();
        var others = config.InitialCluster.Where(m => m.Name != config.Name).SelectMany(m => m.PeerUrls).ToList();
        if (others.Count == 0)
            throw new ConfigurationException("--initial-cluster-state=existing needs the other members in --initial-cluster");
        var handler = new SocketsHttpHandler { UseProxy = false };
        if (peerTls is not null) handler.SslOptions = peerTls;
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(3) };
        var errors = new List<string>();
        Uri? notListed = null;
        // A member that has not applied our addition yet does not know us; the leader has. Ask every member,
        // twice (a second apart), before refusing to start.
        for (var round = 0; round < 2; round++)
        {
            if (round > 0) Thread.Sleep(1000);
            foreach (var url in others)
            {
                ClusterInfo? info;
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, "/members"))
                    {
                        Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                    };
                    // Startup is synchronous here; HTTP/2 only offers the asynchronous API.
                    using var response = http.SendAsync(request).GetAwaiter().GetResult();
                    response.EnsureSuccessStatusCode();
                    info = System.Text.Json.JsonSerializer.Deserialize<ClusterInfo>(response.Content.ReadAsStream(),
                        new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or NotSupportedException)
                {
                    errors.Add($"{url}: {e.Message}");
                    continue;
                }
                if (info is null) continue;
                if (info.Members.FirstOrDefault(m => m.PeerUrls.Any(ours.Contains)) is not { } self)
                {
                    notListed = url;
                    continue;
                }
                var identity = new ClusterIdentity(info.ClusterId, self.Id, config.Name, config.ClusterToken);
                identity.Save(config.DataDir);
                return (identity, info.Members);
            }
        }
        if (notListed is not null)
            throw new ConfigurationException(
                $"the cluster at {notListed} has no member with peer URL {string.Join(",", ours)}; add it first with 'etcdctl member add {config.Name} --peer-urls={string.Join(",", ours)}'");
        throw new ConfigurationException($"cannot reach any member of the existing cluster ({string.Join("; ", errors)})");
    }
}
