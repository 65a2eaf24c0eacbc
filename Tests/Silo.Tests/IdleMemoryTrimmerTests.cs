using Coordinator.Silo.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Coordinator.Tests.Silo;

/// <summary>The trim decision, driven by a synthetic clock and allocation counter.</summary>
public class IdleMemoryTrimmerTests
{
    private const long MiB = 1024 * 1024;
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    // 100 MiB live, 40 MiB more committed: worth trimming.
    private static IdleMemoryTrimmer.HeapFigures Bloated() => new(HeapSizeBytes: 120 * MiB, FragmentedBytes: 20 * MiB, CommittedBytes: 140 * MiB);

    private static IdleMemoryTrimmer.HeapFigures Tight() => new(HeapSizeBytes: 100 * MiB, FragmentedBytes: 0, CommittedBytes: 105 * MiB);

    /// <summary>Polls every 250 ms from <paramref name="fromMs"/> to <paramref name="toMs"/>, allocating
    /// <paramref name="bytesPerPoll"/> per poll; returns the times (ms) at which a trim was decided.</summary>
    private static List<int> Run(IdleMemoryTrimmer trimmer, ref long allocated, int fromMs, int toMs, long bytesPerPoll,
        Func<IdleMemoryTrimmer.HeapFigures> heap)
    {
        var trims = new List<int>();
        for (var ms = fromMs; ms <= toMs; ms += 250)
        {
            allocated += bytesPerPoll;
            if (trimmer.ShouldTrim(T0.AddMilliseconds(ms), allocated, heap)) trims.Add(ms);
        }
        return trims;
    }

    [Fact]
    public void TrimsOnceAfterABurstWhenTheProcessHasBeenQuietForASecond()
    {
        long allocated = 0;
        var trimmer = new IdleMemoryTrimmer(NullLogger.Instance, T0, allocated);
        Assert.Empty(Run(trimmer, ref allocated, 250, 3000, 10 * MiB, Bloated));     // busy: 40 MiB/s
        var trims = Run(trimmer, ref allocated, 3250, 10_000, 10 * 1024, Bloated);   // idle: 40 KiB/s
        Assert.Equal([4000], trims);                                                 // a second after the last busy poll
    }

    [Fact]
    public void DoesNotTrimWithoutABurstOrWhileWorkGoesOn()
    {
        long allocated = 0;
        var idle = new IdleMemoryTrimmer(NullLogger.Instance, T0, allocated);
        Assert.Empty(Run(idle, ref allocated, 250, 60_000, 10 * 1024, Bloated));     // heartbeats only, for a minute

        var busy = new IdleMemoryTrimmer(NullLogger.Instance, T0, allocated);
        Assert.Empty(Run(busy, ref allocated, 250, 60_000, 1 * MiB, Bloated));       // steady 4 MiB/s, never quiet
    }

    [Fact]
    public void SkipsWhenLittleWouldComeBackOrTheHeapIsTooLargeToCompactQuickly()
    {
        long allocated = 0;
        var tight = new IdleMemoryTrimmer(NullLogger.Instance, T0, allocated);
        Run(tight, ref allocated, 250, 3000, 10 * MiB, Tight);
        Assert.Empty(Run(tight, ref allocated, 3250, 10_000, 0, Tight));

        allocated = 0;
        var huge = new IdleMemoryTrimmer(NullLogger.Instance, T0, allocated) { MaxHeapBytes = 1L << 30 };
        Run(huge, ref allocated, 250, 3000, 10 * MiB, () => new(2L << 30, 0, (2L << 30) + 500 * MiB));
        Assert.Empty(Run(huge, ref allocated, 3250, 10_000, 0, () => new(2L << 30, 0, (2L << 30) + 500 * MiB)));
    }

    [Fact]
    public void EachBurstGetsOneDecision()
    {
        long allocated = 0;
        var trimmer = new IdleMemoryTrimmer(NullLogger.Instance, T0, allocated);
        Run(trimmer, ref allocated, 250, 3000, 10 * MiB, Bloated);
        Assert.Single(Run(trimmer, ref allocated, 3250, 10_000, 0, Bloated));
        Assert.Empty(Run(trimmer, ref allocated, 10_250, 11_000, 1 * MiB, Bloated)); // 4 MiB: too small a burst
        Assert.Empty(Run(trimmer, ref allocated, 11_250, 20_000, 0, Bloated));
        Run(trimmer, ref allocated, 20_250, 23_000, 10 * MiB, Bloated);             // a second real burst
        Assert.Single(Run(trimmer, ref allocated, 23_250, 30_000, 0, Bloated));
    }
}
