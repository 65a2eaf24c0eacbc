namespace Coordinator.Grains.Replicas;

/// <summary>
/// A member's logs, one per group, each handed out to at most one holder at a time: this is what keeps a second
/// activation of a replica on its home member from writing the replica's log (see SAFETY.md). One provider per
/// silo (a singleton in its services); it owns the member's storage exclusively while it lives.
/// </summary>
public interface IReplicaLogProvider
{
    /// <summary>Opens (creating when new) the log of <paramref name="groupId"/>; throws
    /// <see cref="ReplicaLogInUseException"/> while an earlier open of the same group is not disposed.</summary>
    IReplicaLog Open(ulong groupId);
}
