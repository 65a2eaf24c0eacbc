using System.Diagnostics;

namespace Coordinator.Bench.Running;

/// <summary>Monotonic time in nanoseconds (Stopwatch ticks converted once).</summary>
public static class Clock
{
    private static readonly double NanosPerTick = 1e9 / Stopwatch.Frequency;

    public static long NowNanos() => (long)(Stopwatch.GetTimestamp() * NanosPerTick);
}
