namespace Coordinator.Grains.Raft;

public enum ReadMode
{
    /// <summary>ReadIndex confirms leadership with a heartbeat round (batched across queued reads).</summary>
    Safe,
    /// <summary>The leader answers from its lease (requires CheckQuorum; relies on bounded clock drift).</summary>
    LeaseBased,
}

/// <summary>Configuration of one replica. Validate() rejects inconsistent settings.</summary>
public sealed record ReplicaOptions
{
    public required ulong Id { get; init; }
    public ulong Group { get; init; } = 1;
    /// <summary>Ticks without hearing a leader before a follower campaigns (randomized in [T, 2T)).</summary>
    public int ElectionTicks { get; init; } = 10;
    public int HeartbeatTicks { get; init; } = 1;
    /// <summary>Seed of the election jitter: the only randomness in a replica.</summary>
    public int RandomSeed { get; init; }
    /// <summary>Upper bound of entry bytes per Append message (one entry is always sent).</summary>
    public long MaxBytesPerAppend { get; init; } = 1 << 20;
    /// <summary>Appends in flight per follower before the leader waits for acks.</summary>
    public int MaxInflightAppends { get; init; } = 256;
    /// <summary>Upper bound of committed-entry bytes handed out per Ready.</summary>
    public long MaxCommittedBytesPerReady { get; init; } = 16 << 20;
    public bool PreVote { get; init; } = true;
    public bool CheckQuorum { get; init; } = true;
    public ReadMode ReadMode { get; init; } = ReadMode.Safe;
    /// <summary>The host's applied index at start (defaults to the snapshot index).</summary>
    public ulong Applied { get; init; }
    /// <summary>A learner may be promoted when its match is within this many entries of the commit index
    /// (and within a tenth of it, so a learner that has barely started is never "in sync").</summary>
    public ulong PromoteMaxLag { get; init; } = 100;
    /// <summary>A leader whose group has been idle this many ticks (every replica has every entry, nothing in
    /// flight) tells its followers to go quiet and stops heartbeating; 0 (the default) never quiesces. See
    /// Replica.Quiescence.cs for what wakes a quiet group and what the host must do.</summary>
    public int QuiesceAfterTicks { get; init; }

    public void Validate()
    {
        if (Id == 0) throw new ArgumentException("replica id must not be 0");
        if (Group == 0) throw new ArgumentException("group id must not be 0");
        if (HeartbeatTicks <= 0) throw new ArgumentException("heartbeat ticks must be positive");
        if (ElectionTicks <= HeartbeatTicks) throw new ArgumentException("election ticks must be greater than heartbeat ticks");
        if (MaxInflightAppends <= 0) throw new ArgumentException("max inflight appends must be positive");
        if (MaxBytesPerAppend <= 0 || MaxCommittedBytesPerReady <= 0) throw new ArgumentException("byte limits must be positive");
        if (ReadMode == ReadMode.LeaseBased && !CheckQuorum)
            throw new ArgumentException("lease-based reads require check-quorum");
        if (QuiesceAfterTicks < 0) throw new ArgumentException("quiesce-after ticks must not be negative");
        if (QuiesceAfterTicks > 0 && ReadMode == ReadMode.LeaseBased)
            throw new ArgumentException("quiescence requires safe reads: a quiet leader renews no lease");
    }
}
