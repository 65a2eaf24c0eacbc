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
    public static ClusterIdentity Prepare(CoordinatorConfig config, WriteAheadLog wal)
    {
        var existing = ClusterIdentity.Load(config.DataDir);
        if (existing is not null)
        {
            existing.CheckMatches(config);
            return existing;
        }
        if (wal.LastIndex > 0 || !wal.Snapshot.IsEmpty)
            throw new ConfigurationException($"data dir {config.DataDir} has a log but no member/identity.json: it is damaged or not ours");
        if (!config.NewCluster)
            throw new ConfigurationException(
                "--initial-cluster-state=existing (joining a running cluster) is not supported yet; start every member with 'new'");

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
        return identity;
    }
}
