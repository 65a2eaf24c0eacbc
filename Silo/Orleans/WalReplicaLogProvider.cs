using Coordinator.Grains.Replicas;
using Coordinator.Silo.Storage;

namespace Coordinator.Silo.Orleans;

/// <summary>The member's replica logs in its shared WAL: a group's log is opened once until its holder disposes
/// it (the WAL's own exclusivity, <see cref="WalInUseException"/>, surfaced as the grains expect it).</summary>
public sealed class WalReplicaLogProvider(SharedWriteAheadLog wal) : IReplicaLogProvider
{
    public IReplicaLog Open(ulong groupId)
    {
        try { return new WalReplicaLog(groupId, wal.OpenGroup(groupId)); }
        catch (WalInUseException) { throw new ReplicaLogInUseException(groupId); }
    }
}
