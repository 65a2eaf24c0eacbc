namespace Coordinator.Tests.Simulation;

/// <summary>No acknowledged proposal is lost: it stays at its index on every replica, and at the end
/// every member has applied past the highest acknowledged index.</summary>
internal sealed class DurabilityChecker(SimHistory history) : InvariantChecker
{
    public override void OnAck(ulong proposalId, ulong index)
    {
        history.Acked[proposalId] = index;
        if (index > history.MaxAckedIndex) history.MaxAckedIndex = index;
    }

    public override void Final(IReadOnlyList<ISimReplica> members, ulong maxAckedIndex)
    {
        foreach (var (id, index) in history.Acked)
        {
            if (!history.ProposalAt.TryGetValue(index, out var applied) || applied != id)
                throw new SimulationFailure($"durability: acknowledged proposal {id} at {index} was replaced by {applied}");
        }
        foreach (var n in members)
            if (n.StateMachine.AppliedIndex < maxAckedIndex)
                throw new SimulationFailure($"durability: member {n.Id} applied only {n.StateMachine.AppliedIndex} < acknowledged {maxAckedIndex}");
    }
}
