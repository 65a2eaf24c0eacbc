using Xunit;
using Xunit.Abstractions;

namespace Coordinator.Tests.Simulation;

/// <summary>
/// Seeded simulation of the Raft core. COORDINATOR_SEED=n replays one seed with a full trace;
/// COORDINATOR_SEEDS=a-b runs seeds a..b (default 1-2000).
/// </summary>
[Trait("Category", "Simulation")]
public sealed class SimulationTests(ITestOutputHelper output)
{
    private const string DefaultSeeds = "1-2000";

    [Fact]
    public void Seeds_KeepEveryInvariant_AndRecoverAfterHealing()
    {
        var single = Environment.GetEnvironmentVariable("COORDINATOR_SEED");
        if (int.TryParse(single, out var replay))
        {
            var sim = new Simulator(replay, fullTrace: true);
            try { sim.Run(); }
            finally { foreach (var line in sim.Trace_) output.WriteLine(line); }
            output.WriteLine($"seed {replay}: {sim.Stats}");
            return;
        }
        var (from, to) = SeedRange.Parse(Environment.GetEnvironmentVariable("COORDINATOR_SEEDS") ?? DefaultSeeds);
        var failures = new System.Collections.Concurrent.ConcurrentBag<(int Seed, string Message, IReadOnlyList<string> Trace)>();
        var totals = new SimulationStats();
        var gate = new object();
        Parallel.For(from, to + 1, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, seed =>
        {
            var sim = new Simulator(seed);
            try { sim.Run(); }
            catch (Exception e) { failures.Add((seed, e is SimulationFailure ? e.Message : e.ToString(), sim.Trace_)); }
            lock (gate)
            {
                totals.Elections += sim.Stats.Elections;
                totals.Acked += sim.Stats.Acked;
                totals.Crashes += sim.Stats.Crashes;
                totals.Transfers += sim.Stats.Transfers;
                totals.SnapshotsInstalled += sim.Stats.SnapshotsInstalled;
                totals.ReadsServed += sim.Stats.ReadsServed;
                totals.MembershipChanges += sim.Stats.MembershipChanges;
                totals.Messages += sim.Stats.Messages;
            }
        });
        output.WriteLine($"seeds {from}-{to}: {totals}");
        if (failures.IsEmpty) return;
        var first = failures.OrderBy(f => f.Seed).First();
        foreach (var line in first.Trace) output.WriteLine(line);
        Assert.Fail($"{failures.Count} of {to - from + 1} seeds failed. First: SEED={first.Seed}: {first.Message}\n" +
                    $"replay: COORDINATOR_SEED={first.Seed} dotnet test Tests/Raft.Simulation.Tests --filter Category=Simulation --logger \"console;verbosity=detailed\"\n" +
                    $"failing seeds: {string.Join(",", failures.Select(f => f.Seed).Order().Take(30))}");
    }
}

internal static class SeedRange
{
    /// <summary>"a-b" (inclusive) or "n".</summary>
    public static (int From, int To) Parse(string text)
    {
        var parts = text.Split('-', 2, StringSplitOptions.TrimEntries);
        if (!int.TryParse(parts[0], out var from) || (parts.Length == 2 ? !int.TryParse(parts[1], out var to) : (to = from) != from) || to < from)
            throw new ArgumentException($"COORDINATOR_SEEDS must look like 'a-b' with a <= b, got '{text}'");
        return (from, to);
    }
}
