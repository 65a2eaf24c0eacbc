using Orleans.Concurrency;

namespace Coordinator.Grains.Replicas;

/// <summary>
/// The replica of one Raft group on one member, keyed <c>"{groupId}/{memberId}"</c> (see <see cref="ReplicaKey"/>).
/// It activates only on that member's silo and drives the group's pure <c>Replica</c> there.
/// </summary>
public interface IReplicaGrain : IGrainWithStringKey
{
    /// <summary>Raft messages from one peer's Ready, all addressed to this replica. One-way: Raft tolerates lost
    /// and reordered messages, and a sender must never wait on its peers.</summary>
    [OneWay]
    Task Step(RaftMessageBatch batch);

    /// <summary>Proposes <paramref name="data"/> (not empty) on the leader; answers once it is committed and applied
    /// (with the state machine's result), or with why not: another leader (its id), no leader, dropped, timed out.</summary>
    Task<ProposalResult> Propose(byte[] data);

    /// <summary>The replica's state; its term and vote as durably stored.</summary>
    Task<ReplicaGrainStatus> Status();

    /// <summary>Ends quiescence if the replica is quiet (a silo died: its leader may be gone). One-way.</summary>
    [OneWay]
    Task Wake();

    /// <summary>Deactivates this activation once idle (it closes its log).</summary>
    Task Deactivate();
}
