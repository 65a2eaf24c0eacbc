using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Simulation;

/// <summary>Membership changes are single-member: consecutive configurations differ by at most one voter,
/// so any majority of the old and any majority of the new overlap; and every replica agrees on the
/// configuration that a given config entry produced.</summary>
internal sealed class MembershipChecker : InvariantChecker
{
    private readonly Dictionary<ulong, Membership> _configAt = new();
    public int Changes => _configAt.Count;

    public override void OnMembershipApplied(ISimReplica node, ulong index, Membership before, Membership after)
    {
        var added = after.Voters.Except(before.Voters).Count();
        var removed = before.Voters.Except(after.Voters).Count();
        if (added + removed > 1 && before.Voters.Count > 0)
            throw new SimulationFailure($"membership: {node.Id} moved from {before} to {after} at {index} (more than one voter)");
        if (_configAt.TryGetValue(index, out var known) && !known.Equals(after))
            throw new SimulationFailure($"membership: {node.Id} has {after} at {index}, another replica {known}");
        _configAt[index] = after;
    }
}
