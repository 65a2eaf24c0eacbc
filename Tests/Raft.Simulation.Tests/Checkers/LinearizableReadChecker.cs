namespace Coordinator.Tests.Simulation;

/// <summary>A ReadIndex read is never older than a write acknowledged before the read began.</summary>
internal sealed class LinearizableReadChecker : InvariantChecker
{
    public int Served { get; private set; }

    public override void OnReadServed(ISimReplica node, ulong readIndex, ulong maxAckedAtStart)
    {
        Served++;
        if (readIndex < maxAckedAtStart)
            throw new SimulationFailure($"linearizable read: {node.Id} served a read at {readIndex} after a write was acknowledged at {maxAckedAtStart}");
    }
}
