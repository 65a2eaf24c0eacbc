using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Coordinator.Bench.Comparison;
using Coordinator.Bench.Metrics;

namespace Coordinator.Bench.CheckPerf;

/// <summary>
/// `check-perf`: runs `etcdctl check perf` against a fresh 3-member Coordinator, a fresh 3-member etcd, and a
/// null server (answers at once, stores nothing), each in turn, and prints what etcdctl reported next to the CPU
/// seconds the generator, the servers and the rest of the machine used. The null rows are the generator's own
/// ceiling on this machine: with --burn F, a thread keeping F of a core busy competes with it, as members would.
/// Every process it starts is stopped in finally blocks and on exit.
/// </summary>
public sealed class CheckPerfCommand(CheckPerfOptions options)
{
    private sealed record Row(string Target, double Burn, int Run, CheckPerfResult Result, double ServerCpu, double BurnerCpu, double IdleCpu, double Elapsed);

    private readonly List<Row> _rows = [];

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var etcdctl = await ServerBinaries.EtcdctlAsync(options.EtcdctlPath, ct);
        var coordinator = options.Targets.Contains("coordinator") ? await ServerBinaries.CoordinatorAsync(options.CoordinatorPath, ct) : null;
        var etcd = options.Targets.Contains("etcd") ? await ServerBinaries.EtcdAsync(options.EtcdPath, ct) : null;
        var machine = MachineDescription.Describe(options.DataRoot);
        var plan = new List<(string Target, double Burn)>();
        foreach (var target in options.Targets)
        {
            plan.Add((target, 0));
            if (target == "null") plan.AddRange(options.Burn.Select(b => (target, b))); // burner runs: null server only
        }
        try
        {
            for (var run = 0; run < options.Runs; run++)
                foreach (var (target, burn) in run % 2 == 0 ? plan : Enumerable.Reverse(plan))
                {
                    var row = target switch
                    {
                        "null" => await RunNullAsync(etcdctl, burn, run, ct),
                        "coordinator" => await RunClusterAsync(etcdctl, ServerKind.Coordinator(coordinator!), run, ct),
                        _ => await RunClusterAsync(etcdctl, ServerKind.Etcd(etcd!), run, ct),
                    };
                    _rows.Add(row);
                    Console.Error.WriteLine($"[run {run + 1}] {Label(row)}: {Summary(row.Result)}; CPU-s etcdctl {row.Result.EtcdctlCpuSeconds:F1}, " +
                                            $"server {row.ServerCpu:F1}, burner {row.BurnerCpu:F1}, idle {row.IdleCpu:F1} of {Environment.ProcessorCount * row.Elapsed:F0}");
                }
        }
        finally
        {
            ProcessReaper.KillAll();
        }

        Console.WriteLine();
        Console.WriteLine("Machine: " + string.Join("; ", machine.Select(m => $"{m.Key} {m.Value}")));
        Console.WriteLine($"etcdctl check perf --load={options.Load}; {options.Members}-member clusters, fresh data each run; CPU in seconds over the whole run " +
                          $"({Environment.ProcessorCount} cores, so {Environment.ProcessorCount} CPU-s per second).");
        Console.WriteLine();
        Console.WriteLine(Render());
        if (options.JsonFile is { } file)
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new { machine, options.Load, rows = _rows }, ReportPrinter.Json), ct);
        return 0;
    }

    private async Task<Row> RunNullAsync(string etcdctl, double burn, int run, CancellationToken ct)
    {
        var port = FreePorts.Take(1)[0];
        var server = StartNullServer(port);
        try
        {
            await WaitListeningAsync(port, server, ct);
            using var burner = burn > 0 ? new CpuBurner(burn) : null;
            return await MeasureAsync("null", burn, run, [$"127.0.0.1:{port}"], [server.Id], etcdctl, ct);
        }
        finally
        {
            if (!server.HasExited) PosixSignals.Terminate(server.Id);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await server.WaitForExitAsync(grace.Token); } catch (OperationCanceledException) { }
            ProcessReaper.Kill(server);
        }
    }

    private async Task<Row> RunClusterAsync(string etcdctl, ServerKind kind, int run, CancellationToken ct)
    {
        await using var cluster = new Cluster(kind, options.Members, new Comparison.CompareOptions { DataRoot = options.DataRoot });
        cluster.Start();
        await cluster.WaitReadyAsync(anyEndpoint: false, TimeSpan.FromSeconds(60), ct);
        return await MeasureAsync(kind.Name, 0, run, cluster.Endpoints, cluster.Pids.ToList(), etcdctl, ct);
    }

    private async Task<Row> MeasureAsync(string target, double burn, int run, IReadOnlyList<string> endpoints,
        IReadOnlyList<int> serverPids, string etcdctl, CancellationToken ct)
    {
        double ServerCpu() => serverPids.Sum(pid => CpuClock.OfProcess(pid) ?? 0);
        var self = Process.GetCurrentProcess();
        var serverBefore = ServerCpu();
        var selfBefore = self.TotalProcessorTime.TotalSeconds;
        var idleBefore = CpuClock.MachineIdle();
        var started = Stopwatch.GetTimestamp();
        var result = await EtcdctlCheckPerf.RunAsync(etcdctl, options.Load, endpoints, ct);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        self.Refresh();
        // This process is idle but for the burner thread while etcdctl runs: its CPU is the burner's.
        var burner = burn > 0 ? self.TotalProcessorTime.TotalSeconds - selfBefore : 0;
        return new Row(target, burn, run + 1, result, ServerCpu() - serverBefore, burner, CpuClock.MachineIdle() - idleBefore, elapsed);
    }

    /// <summary>This same program with `null-server --port P`, as a process of its own so its CPU is its own.</summary>
    private static Process StartNullServer(int port)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this program's path");
        var psi = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardOutput = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(CheckPerfCommand).Assembly.Location);
        foreach (var a in new[] { "null-server", "--port", port.ToString(CultureInfo.InvariantCulture) }) psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the null server");
        ProcessReaper.Track(p);
        return p;
    }

    private static async Task WaitListeningAsync(int port, Process server, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + 20 * Stopwatch.Frequency;
        while (true)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", port, ct);
                return;
            }
            catch (SocketException) when (!server.HasExited && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(50, ct);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException(server.HasExited ? $"null server exited with {server.ExitCode}" : $"null server not listening on {port}: {e.Message}");
            }
        }
    }

    private string Label(Row row) => row.Target switch
    {
        "null" when row.Burn > 0 => $"null server + {row.Burn:0.##} core busy",
        "null" => "null server",
        var kind => $"{kind} x{options.Members}",
    };

    private static string Summary(CheckPerfResult r) =>
        $"{(r.Passed ? "PASS" : "FAIL")} {r.WritesPerSecond?.ToString("F0", CultureInfo.InvariantCulture) ?? "?"} writes/s, " +
        $"slowest {r.SlowestSeconds?.ToString("F3", CultureInfo.InvariantCulture) ?? "?"} s, stddev {r.StddevSeconds?.ToString("F4", CultureInfo.InvariantCulture) ?? "?"} s" +
        (r.WritesPerSecond is null ? " (" + string.Join(" | ", r.Verdicts) + ")" : "");

    private string Render()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| target | run | result | writes/s | slowest s | stddev s | etcdctl CPU-s | server CPU-s | burner CPU-s | idle CPU-s | of CPU-s |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in _rows)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {Label(r)} | {r.Run} | {(r.Result.Passed ? "PASS" : "FAIL")} | {r.Result.WritesPerSecond:F0} | {r.Result.SlowestSeconds:F3} | {r.Result.StddevSeconds:F4} | " +
                $"{r.Result.EtcdctlCpuSeconds:F1} | {r.ServerCpu:F1} | {r.BurnerCpu:F1} | {r.IdleCpu:F1} | {Environment.ProcessorCount * r.Elapsed:F0} |"));
        return sb.ToString();
    }
}
