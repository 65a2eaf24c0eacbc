using Coordinator.Bench.Metrics;

namespace Coordinator.Bench.Running;

/// <summary>
/// Drives a workload with --clients concurrent callers: a warm-up phase that is not recorded, then the measured
/// phase. Closed loop by default (each caller issues its next operation when the last returns). With --rate the
/// loop is open: operation k is scheduled at start + k/rate and its latency counts from that scheduled time, so a
/// slow server is charged for the queueing it causes (no coordinated omission).
/// </summary>
public sealed class LoadRunner(BenchOptions options)
{
    public async Task<RunReport> RunAsync(Workload workload, CancellationToken ct)
    {
        await workload.SetupAsync(ct);
        if (options.Warmup > TimeSpan.Zero)
            await new Phase(options, workload, "warmup", options.Warmup, total: 0).RunAsync(ct);
        workload.BeginMeasurement();
        var measured = new Phase(options, workload, options.Workload,
            options.Total > 0 ? TimeSpan.MaxValue : options.Duration, options.Total);
        await measured.RunAsync(ct);

        var latency = new Dictionary<string, LatencySummary> { ["op"] = LatencySummary.Of(measured.Merged()) };
        foreach (var (name, h) in workload.Extra())
            latency[name] = LatencySummary.Of(h);
        return new RunReport
        {
            Workload = options.Workload,
            Operation = workload.OperationName,
            Settings = Describe(options),
            Operations = measured.Completed,
            Seconds = Math.Round(measured.ElapsedNanos / 1e9, 3),
            Latency = latency,
            Counters = workload.Counters().ToDictionary(c => c.Name, c => c.Value),
            Errors = measured.Errors.Snapshot(),
        };
    }

    private static string Describe(BenchOptions o) =>
        $"clients={o.Clients} conns={o.Conns} endpoints={o.Endpoints.Count} key-size={o.KeySize} val-size={o.ValSize} " +
        $"key-space={o.KeySpace}" + (o.Rate > 0 ? $" rate={o.Rate}/s" : " closed-loop");

    /// <summary>One timed stretch of the run with its own counters.</summary>
    private sealed class Phase(BenchOptions options, Workload workload, string label, TimeSpan duration, long total)
    {
        private readonly LatencyHistogram[] _perCaller = Enumerable.Range(0, options.Clients).Select(_ => new LatencyHistogram()).ToArray();
        private long _nextTicket;
        private long _completed;
        private long _start;
        private long _stopAt;

        public ErrorTally Errors { get; } = new();
        public long Completed => Interlocked.Read(ref _completed);
        public long ElapsedNanos { get; private set; }

        public async Task RunAsync(CancellationToken ct)
        {
            _start = Clock.NowNanos();
            _stopAt = duration == TimeSpan.MaxValue ? long.MaxValue : _start + (long)(duration.TotalMilliseconds * 1e6);
            await using (new ProgressLine(label, () => Completed, () => Errors.Total, options.Progress))
            {
                var callers = Enumerable.Range(0, options.Clients).Select(i => Task.Run(() => CallerLoop(i, ct), ct));
                await Task.WhenAll(callers);
            }
            ElapsedNanos = Clock.NowNanos() - _start;
        }

        public LatencyHistogram Merged()
        {
            var all = new LatencyHistogram();
            foreach (var h in _perCaller) all.Add(h);
            return all;
        }

        private async Task CallerLoop(int caller, CancellationToken ct)
        {
            var histogram = _perCaller[caller];
            var intervalNanos = options.Rate > 0 ? 1e9 / options.Rate : 0;
            while (!ct.IsCancellationRequested)
            {
                var ticket = Interlocked.Increment(ref _nextTicket) - 1;
                if (total > 0 && ticket >= total)
                    break;
                long startedAt;
                if (intervalNanos > 0)
                {
                    startedAt = _start + (long)(ticket * intervalNanos);
                    if (startedAt >= _stopAt)
                        break;
                    var wait = startedAt - Clock.NowNanos();
                    if (wait > 1_000_000)
                        await Task.Delay(TimeSpan.FromTicks(wait / 100), ct);
                }
                else
                {
                    startedAt = Clock.NowNanos();
                    if (startedAt >= _stopAt)
                        break;
                }

                try
                {
                    await workload.ExecuteAsync(caller, ct);
                    histogram.Record(Clock.NowNanos() - startedAt);
                    Interlocked.Increment(ref _completed);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e)
                {
                    Errors.Record(e);
                    await Task.Delay(1, ct); // a server that fails fast must not turn the benchmark into a busy loop
                }
            }
        }
    }
}
