namespace Coordinator.Grains.Replicas;

/// <summary>
/// What a replica needs to start its group: the voters a new group bootstraps with (every replica of the group
/// must be given the same list, as etcd's --initial-cluster) and its timing. <see cref="TickInterval"/> times
/// <see cref="ElectionTicks"/> is the election timeout.
/// </summary>
public sealed record ReplicaGroupSpec(ulong GroupId, IReadOnlyList<ulong> Voters)
{
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(100);
    public int ElectionTicks { get; init; } = 10;
    /// <summary>Idle ticks after which the group goes quiet (no heartbeats, no timer); 0 never. A quiet replica
    /// wakes on any message or proposal (Replica.Quiescence.cs).</summary>
    public int QuiesceAfterTicks { get; init; }

    public void Validate()
    {
        if (GroupId == 0) throw new ArgumentException("group id must not be 0");
        if (Voters.Count == 0) throw new ArgumentException($"group {GroupId} has no voters");
        if (Voters.Contains(0UL)) throw new ArgumentException($"group {GroupId}: member id 0 is not a member");
        if (Voters.Distinct().Count() != Voters.Count) throw new ArgumentException($"group {GroupId} lists a voter twice");
        if (TickInterval <= TimeSpan.Zero) throw new ArgumentException("tick interval must be positive");
        if (ElectionTicks < 2) throw new ArgumentException("election ticks must be at least 2");
        if (QuiesceAfterTicks < 0) throw new ArgumentException("quiesce-after ticks must not be negative");
    }
}
