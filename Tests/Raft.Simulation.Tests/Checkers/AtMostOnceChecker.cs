using Coordinator.Grains.Store;

namespace Coordinator.Tests.Simulation;

/// <summary>Every request takes effect at most once: on every replica the same proposal takes effect at one
/// index only — a retried, duplicated or long-delayed copy in the log is recognized as such — and a duplicate
/// answers with the index of the first application.</summary>
internal sealed class AtMostOnceChecker(SimHistory history) : InvariantChecker
{
    public override void OnRequestApplied(ISimReplica node, SimApplyOutcome outcome, ulong index)
    {
        var id = outcome.Proposal.Id;
        var known = history.EffectiveAt.TryGetValue(id, out var first);
        switch (outcome.Verdict)
        {
            case SessionVerdict.New when known && first != index:
                throw new SimulationFailure($"at most once: proposal {id} took effect at {first} and again at {index} (on {node.Id})");
            case SessionVerdict.New:
                history.EffectiveAt[id] = index;
                break;
            case SessionVerdict.Duplicate when !known || (outcome.FirstIndex != 0 && outcome.FirstIndex != first):
                throw new SimulationFailure($"at most once: {node.Id} calls proposal {id} at {index} a duplicate of " +
                                            $"{outcome.FirstIndex}, but it took effect at {(known ? first : "no index")}");
        }
    }
}
