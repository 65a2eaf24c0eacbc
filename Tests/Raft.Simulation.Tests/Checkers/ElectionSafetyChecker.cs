using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Simulation;

/// <summary>Raft §5.2 election safety: at most one leader per term.</summary>
internal sealed class ElectionSafetyChecker : InvariantChecker
{
    private readonly Dictionary<ulong, ulong> _leaderOfTerm = new();

    public override void OnRole(ISimReplica node, SoftState state, ulong term)
    {
        if (state.Role != ReplicaRole.Leader) return;
        if (_leaderOfTerm.TryGetValue(term, out var other) && other != node.Id)
            throw new SimulationFailure($"election safety: {other} and {node.Id} both lead term {term}");
        _leaderOfTerm[term] = node.Id;
    }
}
