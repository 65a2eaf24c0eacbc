namespace Coordinator.Grains.Replicas;

/// <summary>How this silo's replica grains run.</summary>
public sealed class ReplicaHostingOptions
{
    /// <summary>Makes the state machine a new activation of a replica applies to (required).</summary>
    public Func<ReplicaKey, IReplicaStateMachine>? CreateStateMachine { get; set; }

    /// <summary>How long a proposal waits to be applied before it answers TimedOut.</summary>
    public TimeSpan ProposalTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
