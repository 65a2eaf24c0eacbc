using Coordinator.Grains.Raft;
using Coordinator.Silo.Storage;

namespace Coordinator.Silo.Cluster;

/// <summary>
/// etcd's --force-new-cluster recovery: keep this member's committed data, drop its uncommitted tail, and
/// append committed config changes that remove every other member (and make this one a voter), so it
/// restarts as a single-member cluster that can elect itself.
/// </summary>
public static class ForceNewCluster
{
    /// <summary>Rewrites the log's tail; returns the ids of the members it removed.</summary>
    public static IReadOnlyList<ulong> Apply(WriteAheadLog wal, ulong self)
    {
        var hs = wal.HardState;
        var commit = Math.Max(hs.Commit, wal.SnapshotMetadata.Index);
        var membership = wal.SnapshotMetadata.Membership;
        for (var i = wal.FirstIndex; i <= commit;)
        {
            var batch = wal.Entries(i, commit + 1, 64 << 20);
            foreach (var e in batch)
                if (e.Type == EntryType.ConfigChange) membership = membership.Apply(ConfigChange.Decode(e.Data.Span));
            i = batch[^1].Index + 1;
        }
        var changes = membership.All.Where(id => id != self)
            .Select(id => new ConfigChange(ConfigChangeType.RemoveMember, id)).ToList();
        if (!membership.IsVoter(self)) changes.Add(new ConfigChange(ConfigChangeType.AddVoter, self));
        var term = Math.Max(hs.Term, 1);
        var entries = changes.Select((c, n) => new Entry(commit + 1 + (ulong)n, term, EntryType.ConfigChange, c.Encode())).ToList();
        // Always write at least one entry after the commit index: it replaces the uncommitted tail (an
        // uncommitted member addition there would otherwise still count once the log is read back).
        if (entries.Count == 0) entries.Add(new Entry(commit + 1, term));
        var last = commit + (ulong)entries.Count;
        wal.Save(new HardState(term, 0, last), entries);
        return changes.Where(c => c.Type == ConfigChangeType.RemoveMember).Select(c => c.NodeId).ToList();
    }
}
