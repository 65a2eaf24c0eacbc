using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Simulation;

/// <summary>Raft §5.4.3 state machine safety: every replica applies the same entry at an index
/// (checked through the hash chain, which also covers snapshots installed instead of entries).</summary>
internal sealed class StateMachineSafetyChecker(SimHistory history) : InvariantChecker
{
    public override void OnApply(ISimReplica node, Entry entry, ulong chainHash) =>
        Check(node, entry.Index, chainHash, $"entry {entry}");

    public override void OnSnapshotRestored(ISimReplica node, ulong index, ulong chainHash) =>
        Check(node, index, chainHash, "snapshot");

    private void Check(ISimReplica node, ulong index, ulong chainHash, string what)
    {
        if (history.ChainAt.TryGetValue(index, out var known))
        {
            if (known.Hash != chainHash)
                throw new SimulationFailure($"state machine safety: {node.Id} applied {what} at {index} diverging from {known.Node}");
        }
        else history.ChainAt[index] = (chainHash, node.Id);
    }
}
