using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Simulation;

/// <summary>Raft §5.4 leader completeness: a new leader's log holds every entry committed before it.</summary>
internal sealed class LeaderCompletenessChecker(SimHistory history) : InvariantChecker
{
    public override void OnApply(ISimReplica node, Entry entry, ulong chainHash) =>
        history.CommittedTerm.TryAdd(entry.Index, entry.Term);

    public override void OnRole(ISimReplica node, SoftState state, ulong term)
    {
        if (state.Role != ReplicaRole.Leader) return;
        var log = node.Replica!.Log;
        foreach (var (index, committedTerm) in history.CommittedTerm)
        {
            if (index < log.FirstIndex) continue; // inside the leader's snapshot, which only holds committed entries
            if (!log.TryTerm(index, out var t) || t != committedTerm)
                throw new SimulationFailure(
                    $"leader completeness: leader {node.Id} of term {term} lacks committed entry {committedTerm}/{index} (has term {t})");
        }
    }
}
