namespace Coordinator.Client;

/// <summary>Retries and failover. Reads are retried on UNAVAILABLE and transport failures; writes only when
/// the request provably never left the client (connection refused, dial timeout).</summary>
public sealed class RetryPolicy
{
    /// <summary>Attempts per call, the first included. Bounded by <see cref="CoordinatorClientOptions.RequestTimeout"/> too.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Pause before a retry after every endpoint was tried once; doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an endpoint that failed is skipped by round-robin (unless every endpoint is unhealthy).</summary>
    public TimeSpan UnhealthyPeriod { get; set; } = TimeSpan.FromSeconds(3);

    internal TimeSpan BackoffFor(int round)
    {
        var ms = InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(round, 16));
        return TimeSpan.FromMilliseconds(Math.Min(ms, MaxBackoff.TotalMilliseconds));
    }
}
