namespace Coordinator.Grains.Replicas;

/// <summary>Placement found no active silo of the replica's member: the replica is unavailable until that
/// member's silo (re)joins, and is never placed anywhere else meanwhile.</summary>
[GenerateSerializer]
public sealed class ReplicaHomeUnavailableException : Exception
{
    public ReplicaHomeUnavailableException(string replica)
        : base($"replica {replica} lives only on member {ReplicaKey.Parse(replica).MemberId}, which has no active silo; it is not placed elsewhere")
    {
        Replica = replica;
    }

    [Id(0)] public string Replica { get; private set; }
}
