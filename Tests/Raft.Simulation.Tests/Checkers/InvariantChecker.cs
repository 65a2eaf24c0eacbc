using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Simulation;

/// <summary>One invariant, watched through the simulated hosts' hooks. Throws SimulationFailure on a violation.</summary>
internal abstract class InvariantChecker
{
    public virtual void OnRole(SimNode node, SoftState state, ulong term) { }
    public virtual void OnApply(SimNode node, Entry entry, ulong chainHash) { }
    public virtual void OnSnapshotRestored(SimNode node, ulong index, ulong chainHash) { }
    public virtual void OnAck(ulong proposalId, ulong index) { }
    public virtual void OnRequestApplied(SimNode node, SimApplyOutcome outcome, ulong index) { }
    public virtual void OnReadServed(SimNode node, ulong readIndex, ulong maxAckedAtStart) { }
    public virtual void OnMembershipApplied(SimNode node, ulong index, Membership before, Membership after) { }
    public virtual void Periodic(IReadOnlyList<SimNode> live) { }
    public virtual void Final(IReadOnlyList<SimNode> members, ulong maxAckedIndex) { }
}
