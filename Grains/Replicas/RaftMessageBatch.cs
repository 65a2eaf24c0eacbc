using Coordinator.Grains.Raft;

namespace Coordinator.Grains.Replicas;

/// <summary>The messages of one Ready for one destination replica: one grain call carries them all.
/// Immutable, so a call within a silo passes it without a copy.</summary>
[GenerateSerializer, Immutable]
public sealed class RaftMessageBatch
{
    [Id(0)] public Message[] Messages { get; init; } = [];
}
