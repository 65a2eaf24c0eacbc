using System.Diagnostics;
using System.Text.Json;
using Coordinator.Bench.Etcd;
using Coordinator.Bench.Metrics;
using Coordinator.Bench.Running;
using Google.Protobuf;

namespace Coordinator.Bench.Comparison;

/// <summary>
/// `compare`: for each topology, starts etcd and Coordinator side by side (fresh data, same flags), runs every row
/// against both in alternating order (etcd first on even runs, Coordinator first on odd runs) so slow drifts of a
/// shared machine hit both, then measures memory and restart time on fresh clusters, and prints one table.
/// Every process it starts is killed in finally blocks and on exit.
/// </summary>
public sealed class CompareCommand(CompareOptions options)
{
    private readonly SampleTable _table = new();
    private readonly List<object> _raw = [];
    private BenchCertificates? _tls;

    /// <summary>How the rows connect: TLS with the client certificate under --tls, as the bench user under --auth.</summary>
    private ClientSecurity RowSecurity
    {
        get
        {
            var transport = _tls?.Client ?? ClientSecurity.None;
            return options.Auth ? BenchUsers.As(transport) : transport;
        }
    }

    /// <summary>Under --auth, turns auth on in a ready cluster and lets its probe log in.</summary>
    private async Task PrepareAsync(Cluster cluster, CancellationToken ct)
    {
        if (!options.Auth) return;
        await BenchUsers.EnableAsync(cluster.Endpoints[0], _tls?.Client ?? ClientSecurity.None, ct);
        cluster.ProbeSecurity = RowSecurity;
    }

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var kinds = new[]
        {
            ServerKind.Etcd(await ServerBinaries.EtcdAsync(options.EtcdPath, ct)),
            ServerKind.Coordinator(await ServerBinaries.CoordinatorAsync(options.CoordinatorPath, ct)),
        };
        if (options.Tls) _tls = BenchCertificates.Create(Path.Combine(options.DataRoot, "tls"));
        var machine = MachineDescription.Describe(options.DataRoot);
        foreach (var (k, v) in machine)
            Console.Error.WriteLine($"{k}: {v}");
        var fsync = FsyncProbe.Measure(options.DataRoot, TimeSpan.FromSeconds(3));
        Console.Error.WriteLine($"fsync: overwrite p50 {fsync.Overwrite.P50} ms p99 {fsync.Overwrite.P99} ms; append p50 {fsync.Append.P50} ms p99 {fsync.Append.P99} ms");

        try
        {
            foreach (var size in options.Members)
            {
                await RunRowsAsync(kinds, size, ct);
                if (!options.SkipMemory)
                    foreach (var kind in kinds)
                        await MeasureMemoryAndRestartAsync(kind, size, ct);
            }
        }
        finally
        {
            ProcessReaper.KillAll();
        }

        Console.WriteLine();
        Console.WriteLine("Machine: " + string.Join("; ", machine.Select(m => $"{m.Key} {m.Value}")));
        Console.WriteLine($"Disk commit floor (4 KiB write + fdatasync, {options.DataRoot}): preallocated file p50 {fsync.Overwrite.P50} ms " +
                          $"p99 {fsync.Overwrite.P99} ms ({1000 / Math.Max(fsync.Overwrite.Mean, 0.001):F0}/s); appending p50 {fsync.Append.P50} ms p99 {fsync.Append.P99} ms");
        Console.WriteLine($"Runs per row: {options.Runs}, {options.Duration.TotalSeconds:F0} s each after {options.Warmup.TotalSeconds:F1} s warm-up, alternating which server goes first.");
        Console.WriteLine();
        Console.WriteLine(_table.Render());

        if (options.JsonFile is { } file)
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new { machine, fsync, runs = _raw }, ReportPrinter.Json), ct);
        return 0;
    }

    private async Task RunRowsAsync(ServerKind[] kinds, int size, CancellationToken ct)
    {
        var clusters = kinds.Select(k => new Cluster(k, size, options, _tls)).ToArray();
        try
        {
            foreach (var c in clusters)
                c.Start();
            foreach (var c in clusters)
            {
                await c.WaitReadyAsync(anyEndpoint: false, TimeSpan.FromSeconds(60), ct);
                await PrepareAsync(c, ct);
            }

            var rows = CompareRow.Standard(options.Duration, options.Warmup)
                .Where(r => options.Rows.Count == 0 || options.Rows.Contains(r.Id));
            foreach (var row in rows)
            {
                for (var run = 0; run < options.Runs; run++)
                {
                    var order = run % 2 == 0 ? clusters : clusters.Reverse().ToArray();
                    foreach (var cluster in order)
                        await RunOneAsync(row, run, cluster, ct);
                }
            }
        }
        finally
        {
            foreach (var c in clusters)
                await c.StopAsync();
        }
    }

    private async Task RunOneAsync(CompareRow row, int run, Cluster cluster, CancellationToken ct)
    {
        var section = $"{cluster.Size}{options.ModeTag}|{row.Id}";
        var bench = row.Options(cluster.Endpoints) with { KeyPrefix = $"bench/{row.Id}/{run}/", Security = RowSecurity };
        RunReport report;
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(options.Warmup + options.Duration + TimeSpan.FromSeconds(90));
            report = await SingleRun.RunAsync(bench, limit.Token);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            Console.Error.WriteLine($"[{section} run {run + 1}] {cluster.Kind}: failed: {e.GetType().Name}: {e.Message}");
            foreach (var m in row.Metrics)
                _table.Add(section, m.Label, m.HigherIsBetter, cluster.Kind, null, $"failed ({e.GetType().Name})");
            return;
        }
        _raw.Add(new { members = cluster.Size, row = row.Id, run = run + 1, server = cluster.Kind, report });
        var errors = report.ErrorCount > 0 ? " errors " + string.Join(",", report.Errors.Select(e => $"{e.Key}={e.Value}")) : "";
        Console.Error.WriteLine($"[{section} run {run + 1}] {cluster.Kind}: {report.Throughput} ops/s, p50 {report.Latency["op"].P50} ms, p99 {report.Latency["op"].P99} ms" +
                                string.Concat(report.Latency.Where(l => l.Key != "op").Select(l => $", {l.Key} p50 {l.Value.P50} p99 {l.Value.P99}")) + errors);
        var note = report.Operations == 0 && report.Errors.Count > 0 ? string.Join(",", report.Errors.Keys) : null;
        foreach (var m in row.Metrics)
            _table.Add(section, m.Label, m.HigherIsBetter, cluster.Kind, m.Read(report), note);
    }

    /// <summary>RSS after loading --load-keys keys of 1 KiB into a fresh cluster, then restart time with that data.</summary>
    private async Task MeasureMemoryAndRestartAsync(ServerKind kind, int size, CancellationToken ct)
    {
        var cluster = new Cluster(kind, size, options, _tls);
        try
        {
            var freshStart = cluster.Start();
            await cluster.WaitReadyAsync(anyEndpoint: false, TimeSpan.FromSeconds(60), ct);
            await PrepareAsync(cluster, ct); // with --auth: users and roles (counted in the first write's time)
            // The memory keys are plain Puts from 64 callers, as applications write them (one Raft entry each);
            // keys beyond them, only needed for the restart measurement, are loaded afterwards in Txns.
            using var pool = new ConnectionPool(cluster.Endpoints, cluster.Size * 2, RowSecurity);
            await pool.AuthenticateAsync(ct);
            var value = WorkloadContext.RandomValue(1024, 3);
            await KeyLoader.LoadAsync(pool, 1, _ => ByteString.CopyFromUtf8("bench/first"), value, 1, ct, putsPerRequest: 1);
            var firstWrite = (Stopwatch.GetTimestamp() - freshStart) / (double)Stopwatch.Frequency;
            Console.Error.WriteLine($"[{size}|memory] {kind.Name}: first write {firstWrite:F2} s after a fresh start");
            _table.Add($"{size}|restart", "fresh start → first write acknowledged, s", false, kind.Name, Math.Round(firstWrite, 3));
            await Task.Delay(TimeSpan.FromSeconds(2), ct); // idle: whatever the member does after start-up has settled
            var idle = cluster.Pids.Max(ResidentMemory.MiB);
            var loaded = Stopwatch.StartNew();
            await KeyLoader.LoadAsync(pool, options.LoadKeys,
                n => ByteString.CopyFromUtf8($"bench/mem/{n:D10}"), value, 64, ct, putsPerRequest: 1);
            Console.Error.WriteLine($"[{size}{options.ModeTag}|memory] {kind.Name}: put {options.LoadKeys} keys in {loaded.Elapsed.TotalSeconds:F1} s");
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            var rss = cluster.Pids.Max(ResidentMemory.MiB);
            Console.Error.WriteLine($"[{size}{options.ModeTag}|memory] {kind.Name}: RSS idle {idle:F0} MiB, after load {rss:F0} MiB (largest member)");
            _table.Add($"{size}{options.ModeTag}|memory", "RSS MiB idle (largest member)", false, kind.Name, Math.Round(idle, 1));
            _table.Add($"{size}{options.ModeTag}|memory", $"RSS MiB after {options.LoadKeys / 1000}k puts of 1 KiB (largest member)", false, kind.Name, Math.Round(rss, 1));
            if (options.RestartKeys > options.LoadKeys)
                await KeyLoader.LoadAsync(pool, options.RestartKeys - options.LoadKeys,
                    n => ByteString.CopyFromUtf8($"bench/mem/{options.LoadKeys + n:D10}"), value, 8, ct);

            if (options.SkipRestart)
                return;
            for (var run = 0; run < options.Runs; run++)
            {
                await cluster.StopAsync();
                var started = cluster.Start();
                var ready = await cluster.WaitReadyAsync(anyEndpoint: true, TimeSpan.FromSeconds(180), ct);
                var seconds = (ready - started) / (double)Stopwatch.Frequency;
                Console.Error.WriteLine($"[{size}{options.ModeTag}|restart] {kind.Name}: first linearizable read {seconds:F2} s after start");
                _table.Add($"{size}{options.ModeTag}|restart", $"start → first linearizable read, s ({options.RestartKeys / 1000}k keys)", false, kind.Name, Math.Round(seconds, 3));
            }
        }
        finally
        {
            await cluster.StopAsync();
        }
    }
}
