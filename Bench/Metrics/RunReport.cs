namespace Coordinator.Bench.Metrics;

/// <summary>The outcome of one workload run: what --json prints, and what compare mode tabulates.</summary>
public sealed record RunReport
{
    public required string Workload { get; init; }
    public required string Operation { get; init; }
    public required string Settings { get; init; }
    public long Operations { get; init; }
    public double Seconds { get; init; }
    public double Throughput => Seconds > 0 ? Math.Round(Operations / Seconds, 1) : 0;
    /// <summary>"op" is the timed operation; workloads add their own (e.g. "delivery", "handover").</summary>
    public required IReadOnlyDictionary<string, LatencySummary> Latency { get; init; }
    public required IReadOnlyDictionary<string, long> Counters { get; init; }
    public required IReadOnlyDictionary<string, long> Errors { get; init; }

    public long ErrorCount => Errors.Values.Sum();
    public double CounterRate(string name) => Counters.TryGetValue(name, out var v) && Seconds > 0 ? v / Seconds : 0;
}
