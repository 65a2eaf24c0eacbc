namespace Coordinator.Grains.Replicas;

/// <summary>
/// The member this silo belongs to (one silo per member process). A silo hosts only replicas whose
/// <see cref="ReplicaKey.MemberId"/> is <see cref="Id"/>: the placement director reads it from the silo's
/// grain manifest, and <see cref="ReplicaGrain"/> checks it again on activation.
/// </summary>
public sealed record LocalMember(ulong Id)
{
    /// <summary>The grain-manifest property under which a silo advertises its member id (decimal).</summary>
    public const string ManifestProperty = "coordinator-replica-home-member";
}
