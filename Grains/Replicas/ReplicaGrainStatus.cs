namespace Coordinator.Grains.Replicas;

/// <summary>A replica grain's state as it answers: <see cref="Term"/>, <see cref="Vote"/> and <see cref="LastIndex"/>
/// come from its durable log, <see cref="Leader"/> and <see cref="Role"/> from its latest Ready made durable.</summary>
[GenerateSerializer, Immutable]
public sealed record ReplicaGrainStatus(
    [property: Id(0)] string Replica,
    [property: Id(1)] string Silo,
    [property: Id(2)] string Role,
    [property: Id(3)] ulong Term,
    [property: Id(4)] ulong Vote,
    [property: Id(5)] ulong Leader,
    [property: Id(6)] ulong Committed,
    [property: Id(7)] ulong Applied,
    [property: Id(8)] ulong LastIndex,
    [property: Id(9)] ulong[] Voters,
    [property: Id(10)] bool Quiet = false);
