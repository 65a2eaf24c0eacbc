using Coordinator.Bench.Etcd;
using Coordinator.Bench.Metrics;
using Coordinator.Bench.Workloads;

namespace Coordinator.Bench.Running;

/// <summary>Runs one workload against the given endpoints with fresh connections and returns its report.</summary>
public static class SingleRun
{
    public static async Task<RunReport> RunAsync(BenchOptions options, CancellationToken ct)
    {
        using var pool = new ConnectionPool(options.Endpoints, options.Conns, options.Security);
        await pool.AuthenticateAsync(ct);
        var workload = WorkloadCatalog.Create(new WorkloadContext(options, pool));
        await using (workload)
            return await new LoadRunner(options).RunAsync(workload, ct);
    }
}
