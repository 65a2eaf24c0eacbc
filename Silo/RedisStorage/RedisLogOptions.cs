using StackExchange.Redis;

namespace Coordinator.Silo.RedisStorage;

/// <summary>Where and how one replica keeps its log in Redis.</summary>
public sealed record RedisLogOptions
{
    /// <summary>The Redis that holds this replica (each replica of a group in a different Redis).</summary>
    public required IConnectionMultiplexer Redis { get; init; }

    /// <summary>Names the replica, e.g. "coordinator/group-7/replica-2"; every key of it is under this prefix, in
    /// one hash slot.</summary>
    public required string Replica { get; init; }

    /// <summary>Snapshot data is stored in chunks of at most this many bytes (Redis values are best kept small).</summary>
    public int SnapshotChunkBytes { get; init; } = 256 * 1024;

    /// <summary>When the Redis has replicas: wait until this many acknowledge each write (WAIT), else the write fails.</summary>
    public int WaitReplicas { get; init; }

    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Refuse a Redis that does not fsync every write (appendonly yes, appendfsync always). Only tests of
    /// that refusal turn it off.</summary>
    public bool RequireFsyncAlways { get; init; } = true;

    /// <summary>Most entries sent in one script call (the rest follow in the same atomic call's argument list).</summary>
    internal const int EntriesPerPush = 1000;
}
