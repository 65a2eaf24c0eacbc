using Coordinator.Bench.Metrics;
using Coordinator.Bench.Running;

namespace Coordinator.Bench.Comparison;

/// <summary>One metric taken from a report: its label, how to read it, and which direction is better.</summary>
public sealed record RowMetric(string Label, Func<RunReport, double?> Read, bool HigherIsBetter);

/// <summary>A workload run by compare mode against both servers, and the metrics it contributes to the table.</summary>
public sealed record CompareRow(string Id, Func<IReadOnlyList<string>, BenchOptions> Options, IReadOnlyList<RowMetric> Metrics)
{
    private static double? Ops(RunReport r) => r.Operations > 0 ? r.Throughput : null;
    private static Func<RunReport, double?> Latency(string histogram, Func<LatencySummary, double> pick) =>
        r => r.Latency.TryGetValue(histogram, out var s) && s.Count > 0 ? pick(s) : null;

    private static RowMetric Throughput(string what) => new($"{what}/s", Ops, true);
    private static RowMetric P50(string h = "op") => new($"{h} p50 ms", Latency(h, s => s.P50), false);
    private static RowMetric P99(string h = "op") => new($"{h} p99 ms", Latency(h, s => s.P99), false);

    /// <summary>The rows BENCHMARKS.md asks for, plus a few cheap extras.</summary>
    public static IReadOnlyList<CompareRow> Standard(TimeSpan duration, TimeSpan warmup)
    {
        BenchOptions Base(IReadOnlyList<string> endpoints, string workload, int clients) => new()
        {
            Workload = workload,
            Endpoints = endpoints,
            Clients = clients,
            // one connection per endpoint for a single caller, else two per endpoint
            Conns = clients == 1 ? 1 : 2 * endpoints.Count,
            Duration = duration,
            Warmup = warmup,
            Progress = false,
        };
        return
        [
            new("put-1", e => Base(e, "put", 1), [Throughput("put"), P50(), P99()]),
            new("put-16", e => Base(e, "put", 16), [Throughput("put"), P50(), P99()]),
            new("put-64", e => Base(e, "put", 64), [Throughput("put"), P50(), P99()]),
            new("range-l-64", e => Base(e, "range", 64) with { Consistency = 'l' }, [Throughput("range"), P50(), P99()]),
            new("range-s-64", e => Base(e, "range", 64) with { Consistency = 's' }, [Throughput("range"), P50(), P99()]),
            new("txn-put-16", e => Base(e, "txn-put", 16), [Throughput("txn"), P99()]),
            new("watch-latency", e => Base(e, "watch-latency", 4) with { Rate = 100, Watchers = 16 }, [P50("delivery"), P99("delivery")]),
            new("watch-fanout", e => Base(e, "watch-fanout", 16) with { Watchers = 64 },
                [new("delivered events/s", r => r.Operations > 0 ? Math.Round(r.CounterRate("delivered")) : null, true), P99("delivery")]),
            new("lease-keepalive", e => Base(e, "lease-keepalive", 16) with { Leases = 1000 }, [Throughput("keep-alive"), P99()]),
            new("lock-contended", e => Base(e, "lock", 16) with { LockNames = 1 }, [Throughput("cycle"), P50("handover"), P99("handover")]),
            new("lock-uncontended", e => Base(e, "lock", 16) with { LockNames = 16 }, [Throughput("cycle"), P50()]),
            new("v2-set-1", e => Base(e, "v2-set", 1), [Throughput("v2 set"), P50(), P99()]),
            new("v2-set-64", e => Base(e, "v2-set", 64), [Throughput("v2 set"), P50(), P99()]),
            new("v2-get-64", e => Base(e, "v2-get", 64) with { Consistency = 's', KeySpace = 1000 }, [Throughput("v2 get"), P50(), P99()]),
            new("v2-get-quorum-64", e => Base(e, "v2-get", 64) with { Consistency = 'l', KeySpace = 1000 }, [Throughput("v2 quorum get"), P50(), P99()]),
            new("lock-service-contended", e => Base(e, "lock", 16) with { LockNames = 1, LockVia = "service" },
                [Throughput("cycle"), P50("handover")]),
        ];
    }
}
