namespace Coordinator.Client;

/// <summary>Retries and failover, as etcd's Go client does them: read-only calls are retried on UNAVAILABLE
/// (the next attempt goes to the next member with a live connection); writes only when the request cannot have
/// reached a server (no member was reachable).</summary>
public sealed class RetryPolicy
{
    /// <summary>Attempts per call, the first included. Bounded by <see cref="CoordinatorClientOptions.RequestTimeout"/> too.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Pause before a retry after every endpoint was tried once; doubles up to <see cref="MaxBackoff"/>.
    /// Also the first delay before reconnecting to a member whose connection failed.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest pause between retry rounds, and between reconnection attempts to one member.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>No effect: the balancer skips a member as long as its connection is down and reconnects it with
    /// backoff. Kept so existing configuration still binds.</summary>
    [Obsolete("The balancer tracks each member's connection; this setting has no effect.")]
    public TimeSpan UnhealthyPeriod { get; set; } = TimeSpan.FromSeconds(3);

    internal TimeSpan BackoffFor(int round)
    {
        var ms = InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(round, 16));
        return TimeSpan.FromMilliseconds(Math.Min(ms, MaxBackoff.TotalMilliseconds));
    }
}
