namespace Coordinator.Grains.Replicas;

/// <summary>A second open of a group's log on one member while the first is not disposed (what a second
/// activation of the same replica on its home silo would attempt).</summary>
[GenerateSerializer]
public sealed class ReplicaLogInUseException : Exception
{
    public ReplicaLogInUseException(ulong groupId)
        : base($"the log of group {groupId} is already open on this member: another activation of its replica holds it")
    {
        GroupId = groupId;
    }

    [Id(0)] public ulong GroupId { get; private set; }
}
