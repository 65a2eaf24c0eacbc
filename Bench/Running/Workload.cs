using Coordinator.Bench.Metrics;

namespace Coordinator.Bench.Running;

/// <summary>
/// One benchmark workload. The runner calls <see cref="ExecuteAsync"/> once per operation from each caller and
/// times it; workloads that measure something else as well (watch delivery, lock hand-over) record it in
/// <see cref="Extra"/> histograms and <see cref="Counters"/>.
/// </summary>
public abstract class Workload : IAsyncDisposable
{
    protected Workload(WorkloadContext context) => Context = context;

    protected WorkloadContext Context { get; }
    protected BenchOptions Options => Context.Options;

    /// <summary>What one timed operation is, for the report ("put", "acquire+release").</summary>
    public abstract string OperationName { get; }

    /// <summary>Named extra latency histograms, merged across callers at the end.</summary>
    public virtual IEnumerable<(string Name, LatencyHistogram Histogram)> Extra() => [];

    /// <summary>Named counters measured during the timed phase (e.g. events delivered).</summary>
    public virtual IEnumerable<(string Name, long Value)> Counters() => [];

    public virtual Task SetupAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Called when warm-up ends: forget whatever extra statistics were gathered so far.</summary>
    public virtual void BeginMeasurement() { }

    /// <summary>One operation of caller <paramref name="caller"/>. Callers run concurrently; one caller never overlaps itself.</summary>
    public abstract ValueTask ExecuteAsync(int caller, CancellationToken ct);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
