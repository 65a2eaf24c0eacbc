using Coordinator.Grains.Raft;

namespace Coordinator.Grains.Replicas;

/// <summary>
/// What a replica grain applies committed entries to. Deterministic: the same entries in the same order give the
/// same state and results on every member. Entries reach it in log order, each once per activation; after a restart
/// it starts from <see cref="Restore"/> of the log's snapshot (or empty) and sees the later entries again.
/// Only normal entries with data are applied (not a new leader's empty entry, nor membership changes).
/// </summary>
public interface IReplicaStateMachine
{
    /// <summary>Applies one committed entry; the result answers its proposal.</summary>
    byte[] Apply(Entry entry);

    /// <summary>An image of everything applied so far.</summary>
    byte[] Snapshot();

    /// <summary>Replaces the whole state with a snapshot's image.</summary>
    void Restore(Snapshot snapshot);
}
