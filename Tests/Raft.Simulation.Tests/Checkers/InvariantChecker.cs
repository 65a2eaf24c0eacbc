using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Simulation;

/// <summary>One invariant, watched through the simulated hosts' hooks. Throws SimulationFailure on a violation.</summary>
internal abstract class InvariantChecker
{
    public virtual void OnRole(ISimReplica node, SoftState state, ulong term) { }
    public virtual void OnApply(ISimReplica node, Entry entry, ulong chainHash) { }
    public virtual void OnSnapshotRestored(ISimReplica node, ulong index, ulong chainHash) { }
    public virtual void OnAck(ulong proposalId, ulong index) { }
    public virtual void OnRequestApplied(ISimReplica node, SimApplyOutcome outcome, ulong index) { }
    public virtual void OnReadServed(ISimReplica node, ulong readIndex, ulong maxAckedAtStart) { }
    public virtual void OnMembershipApplied(ISimReplica node, ulong index, Membership before, Membership after) { }
    public virtual void Periodic(IReadOnlyList<ISimReplica> live) { }
    public virtual void Final(IReadOnlyList<ISimReplica> members, ulong maxAckedIndex) { }
}
