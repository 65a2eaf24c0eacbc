namespace Coordinator.Grains.Raft;

/// <summary>A snapshot of a replica's state for the host (membership policy, metrics, debugging).</summary>
public sealed record ReplicaStatus(
    ulong Id, ulong Group, ReplicaRole Role, ulong Term, ulong Leader, ulong Vote,
    ulong Committed, ulong Applied, ulong LastIndex, ulong LeadTransferee, Membership Membership,
    IReadOnlyDictionary<ulong, Progress> Progress)
{
    /// <summary>Leader only: voters it heard from within the last election timeout (itself included).</summary>
    public IReadOnlySet<ulong> ActiveVoters =>
        Membership.Voters.Where(v => v == Id || (Progress.TryGetValue(v, out var p) && p.RecentActive)).ToHashSet();
}
