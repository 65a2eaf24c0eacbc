using System.Diagnostics;
using System.Text;

namespace Coordinator.Tests.Nemesis;

/// <summary>What one run did and found.</summary>
public sealed record NemesisReport(int Members, int Seed, TimeSpan Duration, int Operations,
    IReadOnlyDictionary<string, int> OperationsByWorkload, IReadOnlyDictionary<FaultKind, int> Faults,
    IReadOnlyList<string> Anomalies, string HistoryFile)
{
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"{Members} members, seed {Seed}, {Duration.TotalSeconds:F0} s: {Operations} checked client operations (acknowledged) " +
                        $"({string.Join(", ", OperationsByWorkload.Select(p => $"{p.Key} {p.Value}"))})");
        text.AppendLine($"faults: {string.Join(", ", Faults.Select(p => $"{p.Key} {p.Value}"))}");
        text.AppendLine($"anomalies: {Anomalies.Count}");
        foreach (var a in Anomalies.Take(30)) text.AppendLine("  " + a);
        text.Append($"history: {HistoryFile}");
        return text.ToString();
    }
}

/// <summary>
/// One nemesis run: a fresh cluster, every workload at once, the seeded fault schedule for the duration, then
/// heal, settle, read the server's history and check every workload against it. The history (every operation,
/// every fault, the members' log tails) is written to a file whose path the report carries.
/// </summary>
internal static class NemesisRun
{
    public static async Task<NemesisReport> RunAsync(int members, int seed, TimeSpan duration, Action<string> log)
    {
        var faultLog = new List<string>();
        void Log(string line)
        {
            lock (faultLog) faultLog.Add(line);
            log(line);
        }

        await using var cluster = await NemesisCluster.StartAsync(members);
        var workloads = new IWorkload[]
        {
            new RegisterWorkload(cluster, clients: 6, seed),
            new TxnWorkload(cluster, clients: 2, seed),
            new WatchWorkload(cluster, watchers: 3),
            new LeaseWorkload(cluster, clients: 2, seed),
            new LockWorkload(cluster, clients: 3),
            new ElectionWorkload(cluster, clients: 3),
        };
        using var stop = new CancellationTokenSource();
        var running = workloads.Select(w => Task.Run(() => w.RunAsync(stop.Token))).ToList();
        var injector = new FaultInjector(cluster, seed, Log);
        var clock = Stopwatch.StartNew();
        await injector.RunAsync(duration, CancellationToken.None);
        cluster.HealAll();
        Log("healed everything; settling");
        await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await Task.WhenAll(running);

        using var checkTimeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        ServerHistory history;
        await using (var client = cluster.Client())
            history = await ServerHistory.ReadAsync(client, WatchWorkload.Prefix, checkTimeout.Token);
        Log($"server history: {history.Events.Count} changes up to revision {history.LastRevision}");
        var anomalies = new List<string>();
        foreach (var w in workloads)
        {
            try { anomalies.AddRange((await w.CheckAsync(history, checkTimeout.Token)).Select(a => $"[{w.Name}] {a}")); }
            catch (Exception e) { anomalies.Add($"[{w.Name}] check failed: {e.GetType().Name}: {e.Message}"); }
        }

        var file = Path.Combine(Path.GetTempPath(), $"coordinator-nemesis-{members}m-seed{seed}-{DateTime.UtcNow:yyyyMMddHHmmss}.log");
        await using (var writer = new StreamWriter(file))
        {
            await writer.WriteLineAsync($"# nemesis {members} members, seed {seed}, {clock.Elapsed}");
            await writer.WriteLineAsync("# faults");
            foreach (var line in faultLog) await writer.WriteLineAsync(line);
            await writer.WriteLineAsync("# anomalies");
            foreach (var a in anomalies) await writer.WriteLineAsync(a);
            foreach (var w in workloads)
            {
                await writer.WriteLineAsync($"# {w.Name} operations");
                foreach (var line in w.Describe()) await writer.WriteLineAsync(line);
            }
            await writer.WriteLineAsync("# server history");
            foreach (var e in history.Events) await writer.WriteLineAsync(e.ToString());
            await writer.WriteLineAsync("# member logs");
            await writer.WriteLineAsync(cluster.Tails(400));
        }
        var byWorkload = workloads.ToDictionary(w => w.Name, w => w.CheckedOperations);
        // Watch deliveries are reported, not counted as client operations.
        var operations = workloads.Where(w => w is not WatchWorkload).Sum(w => w.CheckedOperations);
        return new NemesisReport(members, seed, clock.Elapsed, operations, byWorkload, injector.Counts, anomalies, file);
    }
}
