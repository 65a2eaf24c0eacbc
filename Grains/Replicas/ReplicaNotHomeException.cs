namespace Coordinator.Grains.Replicas;

/// <summary>An activation of a replica grain on a silo of another member: refused in OnActivateAsync, so the
/// activation fails and its callers get this.</summary>
[GenerateSerializer]
public sealed class ReplicaNotHomeException : Exception
{
    public ReplicaNotHomeException(string replica, ulong localMember, string silo)
        : base($"replica {replica} lives only on member {ReplicaKey.Parse(replica).MemberId}; silo {silo} is member {localMember}'s and refuses to activate it")
    {
        Replica = replica;
        LocalMember = localMember;
    }

    [Id(0)] public string Replica { get; private set; }
    [Id(1)] public ulong LocalMember { get; private set; }
}
