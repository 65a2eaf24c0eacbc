namespace Coordinator.Tests.Simulation;

/// <summary>Groups sharing members and WALs never mix: every request a group applies was proposed to that
/// group (the proposal ids are unique over all groups, and each is proposed to one group only).</summary>
internal sealed class GroupIsolationChecker(ulong group, IReadOnlyDictionary<ulong, ulong> groupOfProposal) : InvariantChecker
{
    public override void OnApply(ISimReplica node, Grains.Raft.Entry entry, ulong chainHash)
    {
        if (entry.Type == Grains.Raft.EntryType.Normal && entry.Data.Length != 0 && SimProposal.Decode(entry) is null)
            throw new SimulationFailure($"group isolation: group {group} replica {node.Id} applied {entry}, which is no client's request");
    }

    public override void OnRequestApplied(ISimReplica node, SimApplyOutcome outcome, ulong index)
    {
        var id = outcome.Proposal.Id;
        if (!groupOfProposal.TryGetValue(id, out var owner))
            throw new SimulationFailure($"group isolation: group {group} replica {node.Id} applied proposal {id} at {index}, which no client proposed");
        if (owner != group)
            throw new SimulationFailure($"group isolation: group {group} replica {node.Id} applied proposal {id} at {index}, proposed to group {owner}");
    }
}
