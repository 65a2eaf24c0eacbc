namespace Coordinator.Bench.Metrics;

/// <summary>The percentiles reported for one histogram, in milliseconds.</summary>
public sealed record LatencySummary(long Count, double Mean, double P50, double P90, double P99, double P999, double Max)
{
    public static LatencySummary Of(LatencyHistogram h)
    {
        static double Ms(double nanos) => Math.Round(nanos / 1e6, 3);
        return new LatencySummary(h.Count, Ms(h.MeanNanos), Ms(h.Percentile(0.50)), Ms(h.Percentile(0.90)),
            Ms(h.Percentile(0.99)), Ms(h.Percentile(0.999)), Ms(h.Max));
    }
}
