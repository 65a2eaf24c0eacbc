namespace Coordinator.Silo.Hosting;

/// <summary>Settings of a replica host, derived from the member's configuration.</summary>
public sealed record ReplicaHostOptions
{
    public required ulong MemberId { get; init; }
    public required ulong ClusterId { get; init; }
    public required string Name { get; init; }
    public required IReadOnlyList<string> ClientUrls { get; init; }
    public int HeartbeatMs { get; init; } = 100;
    public int ElectionTicks { get; init; } = 10;
    /// <summary>--quota-backend-bytes: above this store size the leader raises NOSPACE.</summary>
    public long QuotaBackendBytes { get; init; } = 2L << 30;
    /// <summary>--strict-reconfig-check: refuse membership changes after which the quorum could not be reached.</summary>
    public bool StrictReconfigCheck { get; init; } = true;
    /// <summary>How long a request waits for its entry to apply (etcd: 5 s + 2 election timeouts).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(7);
    /// <summary>How long a request waits for a leader to exist before failing with "no leader".</summary>
    public TimeSpan LeaderWait { get; init; } = TimeSpan.FromSeconds(3);
}
