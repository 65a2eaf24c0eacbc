using Coordinator.Bench.Metrics;
using Coordinator.Bench.Running;
using Google.Protobuf;

namespace Coordinator.Bench.Workloads;

/// <summary>
/// `lock`: each operation acquires a lock and releases it at once (one cycle). Callers spread over --lock-names
/// names: 1 name is fully contended, one per caller is uncontended. Each caller holds a session lease.
/// "handover" is the time from a holder starting its release to the next holder's acquisition returning, recorded
/// whenever the acquirer had started waiting before that release.
/// </summary>
public abstract class LockWorkload(WorkloadContext context) : Workload(context)
{
    private readonly LatencyHistogram _handover = new();
    private readonly long[] _lastRelease = new long[Math.Max(1, context.Options.LockNames)];
    protected long[] Leases { get; private set; } = [];

    public override string OperationName => $"acquire+release, {Options.Clients} callers on {Options.LockNames} lock name(s)";

    public override IEnumerable<(string Name, LatencyHistogram Histogram)> Extra() => [("handover", _handover)];

    public override async Task SetupAsync(CancellationToken ct)
    {
        Leases = new long[Options.Clients];
        for (var c = 0; c < Options.Clients; c++)
            Leases[c] = await Context.Client(c).GrantLeaseAsync(600, ct);
    }

    public override void BeginMeasurement()
    {
        lock (_handover) _handover.Clear();
    }

    public override async ValueTask ExecuteAsync(int caller, CancellationToken ct)
    {
        var name = caller % _lastRelease.Length;
        var prefix = ByteString.CopyFromUtf8($"{Options.KeyPrefix}lock/{name}");
        var started = Clock.NowNanos();
        var held = await AcquireAsync(caller, prefix, ct);
        var acquired = Clock.NowNanos();
        var released = Volatile.Read(ref _lastRelease[name]);
        if (released > started)
            lock (_handover) _handover.Record(acquired - released);
        Volatile.Write(ref _lastRelease[name], Clock.NowNanos());
        await ReleaseAsync(caller, held, ct);
    }

    /// <summary>Blocks until the caller holds the lock; returns the key that represents its ownership.</summary>
    protected abstract Task<ByteString> AcquireAsync(int caller, ByteString name, CancellationToken ct);

    protected abstract Task ReleaseAsync(int caller, ByteString held, CancellationToken ct);

    public override async ValueTask DisposeAsync()
    {
        using var revokeTime = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        for (var c = 0; c < Leases.Length; c++)
            try { await Context.Client(c).RevokeLeaseAsync(Leases[c], revokeTime.Token); } catch { /* expires anyway */ }
    }
}
