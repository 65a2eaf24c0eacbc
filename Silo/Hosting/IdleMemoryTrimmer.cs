using Microsoft.Extensions.Logging;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// Gives memory back to the operating system once a burst of work is over. The GC keeps what a burst made it
/// commit (the gen0 allocation budget, holes left by large temporary arrays such as a snapshot's image) for
/// as long as the process is quiet, which for a coordination service is most of the time. When the process
/// has allocated at least <see cref="MinAllocatedBytes"/> since the last decision and then allocates almost
/// nothing for <see cref="QuietFor"/>, this runs one aggressive collection (compacts every generation, the
/// large-object heap included, and decommits free memory), much as etcd's Go runtime returns idle memory with
/// its background scavenger. The collection blocks the process (measured: 24 ms with 100 MiB of values,
/// 105 ms with 500 MiB), which is why it waits for quiet, and why it is skipped when there is little to give
/// back or the heap is larger than <see cref="MaxHeapBytes"/>.
/// </summary>
public sealed class IdleMemoryTrimmer
{
    private readonly ILogger _logger;
    private long _sinceDecision;
    private long _lastSample;
    private DateTime _lastAt;
    private DateTime _quietSince;

    public IdleMemoryTrimmer(ILogger logger, DateTime now, long allocatedBytes)
    {
        _logger = logger;
        _sinceDecision = _lastSample = allocatedBytes;
        _lastAt = _quietSince = now;
    }

    public TimeSpan QuietFor { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan PollEvery { get; init; } = TimeSpan.FromMilliseconds(250);

    public long MinAllocatedBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>At most this many bytes allocated per second still count as quiet (an idle member's heartbeats,
    /// ticks and metrics scrapes allocate well under 100 KiB/s).</summary>
    public long QuietBytesPerSecond { get; init; } = 512L * 1024;

    /// <summary>Committed GC memory beyond the live heap below which a trim is not worth its pause.</summary>
    public long MinReclaimableBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Above this heap size a trim's pause (it compacts everything) outweighs what it gives back.</summary>
    public long MaxHeapBytes { get; init; } = 1L << 30;

    public int Trims { get; private set; }

    /// <summary>The GC's figures after its last collection.</summary>
    public readonly record struct HeapFigures(long HeapSizeBytes, long FragmentedBytes, long CommittedBytes)
    {
        public static HeapFigures Current()
        {
            var info = GC.GetGCMemoryInfo();
            return new(info.HeapSizeBytes, info.FragmentedBytes, info.TotalCommittedBytes);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(PollEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (ShouldTrim(DateTime.UtcNow, GC.GetTotalAllocatedBytes(), HeapFigures.Current)) Trim();
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>One poll: true when a burst has ended and a trim would give enough back.</summary>
    public bool ShouldTrim(DateTime now, long allocatedBytes, Func<HeapFigures> heap)
    {
        var rate = (allocatedBytes - _lastSample) / Math.Max(0.001, (now - _lastAt).TotalSeconds);
        (_lastSample, _lastAt) = (allocatedBytes, now);
        if (rate > QuietBytesPerSecond)
        {
            _quietSince = now;
            return false;
        }
        if (now - _quietSince < QuietFor || allocatedBytes - _sinceDecision < MinAllocatedBytes) return false;
        _sinceDecision = allocatedBytes; // one decision per burst, trimmed or not
        var figures = heap();
        var live = figures.HeapSizeBytes - figures.FragmentedBytes;
        return figures.HeapSizeBytes <= MaxHeapBytes && figures.CommittedBytes - live >= MinReclaimableBytes;
    }

    private void Trim()
    {
        var before = Environment.WorkingSet;
        var started = DateTime.UtcNow;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Trims++;
        _sinceDecision = _lastSample = GC.GetTotalAllocatedBytes();
        _logger.LogDebug("idle memory trim: resident {Before} -> {After} MiB in {Ms:F0} ms",
            before >> 20, Environment.WorkingSet >> 20, (DateTime.UtcNow - started).TotalMilliseconds);
    }
}
