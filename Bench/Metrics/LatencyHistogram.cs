namespace Coordinator.Bench.Metrics;

/// <summary>
/// HDR-style log-linear histogram of durations in nanoseconds: values below 256 ns are exact, above that each
/// power of two is split into 128 linear buckets (relative error under 0.8%). Not thread-safe: one per recorder,
/// merged at the end.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBits = 7;
    private const int SubCount = 1 << SubBits;          // 128 buckets per power of two
    private const int Exponents = 64 - SubBits;
    private readonly long[] _counts = new long[(Exponents + 1) * SubCount];

    public long Count { get; private set; }
    public long Max { get; private set; }
    public long Min { get; private set; } = long.MaxValue;
    private double _sum;

    public double MeanNanos => Count == 0 ? 0 : _sum / Count;

    public void Record(long nanos)
    {
        if (nanos < 0) nanos = 0;
        _counts[IndexOf(nanos)]++;
        Count++;
        _sum += nanos;
        if (nanos > Max) Max = nanos;
        if (nanos < Min) Min = nanos;
    }

    public void Clear()
    {
        Array.Clear(_counts);
        Count = 0;
        _sum = 0;
        Max = 0;
        Min = long.MaxValue;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
            _counts[i] += other._counts[i];
        Count += other.Count;
        _sum += other._sum;
        Max = Math.Max(Max, other.Max);
        Min = Math.Min(Min, other.Min);
    }

    /// <summary>The value at quantile q (0..1): the midpoint of the bucket holding it, capped at Max.</summary>
    public long Percentile(double q)
    {
        if (Count == 0) return 0;
        var rank = (long)Math.Ceiling(q * Count);
        if (rank < 1) rank = 1;
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
                return Math.Min(Max, Math.Max(Min, Midpoint(i)));
        }
        return Max;
    }

    private static int IndexOf(long v)
    {
        if (v < 2 * SubCount)
            return (int)v;
        var shift = 63 - (int)long.LeadingZeroCount(v) - SubBits;      // v >> shift lands in [128, 256)
        return (shift + 1) * SubCount + (int)((v >> shift) - SubCount);
    }

    private static long Midpoint(int index)
    {
        if (index < 2 * SubCount)
            return index;
        var shift = index / SubCount - 1;
        var low = (long)(index % SubCount + SubCount) << shift;
        return low + ((1L << shift) >> 1);
    }
}
