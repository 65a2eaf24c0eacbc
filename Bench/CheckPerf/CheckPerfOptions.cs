using Coordinator.Bench.Running;

namespace Coordinator.Bench.CheckPerf;

/// <summary>Settings of a `check-perf` session.</summary>
public sealed record CheckPerfOptions
{
    public string Load { get; init; } = "l";
    public IReadOnlyList<string> Targets { get; init; } = ["null", "coordinator", "etcd"];
    public int Members { get; init; } = 3;
    public int Runs { get; init; } = 1;
    public IReadOnlyList<double> Burn { get; init; } = [];
    public string DataRoot { get; init; } = "/tmp/coordinator-bench";
    public string? EtcdPath { get; init; }
    public string? CoordinatorPath { get; init; }
    public string? EtcdctlPath { get; init; }
    public string? JsonFile { get; init; }

    public static readonly IReadOnlySet<string> KnownTargets = new HashSet<string> { "null", "coordinator", "etcd" };
    public static readonly IReadOnlySet<string> KnownLoads = new HashSet<string> { "s", "m", "l", "xl" };
}

public static class CheckPerfOptionsReader
{
    public static CheckPerfOptions Read(OptionParser p)
    {
        var d = new CheckPerfOptions();
        var options = new CheckPerfOptions
        {
            Load = p.Text("load", d.Load),
            Targets = p.List("targets", d.Targets),
            Members = p.Int("members", d.Members),
            Runs = p.Int("runs", d.Runs),
            Burn = p.List("burn", []).Select(ParseFraction).ToList(),
            DataRoot = p.Text("data-root", d.DataRoot),
            EtcdPath = p.Text("etcd", "") is { Length: > 0 } e ? e : null,
            CoordinatorPath = p.Text("coordinator", "") is { Length: > 0 } c ? c : null,
            EtcdctlPath = p.Text("etcdctl", "") is { Length: > 0 } t ? t : null,
            JsonFile = p.Text("json", "") is { Length: > 0 } j && j != "true" ? j : null,
        };
        if (!CheckPerfOptions.KnownLoads.Contains(options.Load))
            throw new ArgumentException($"--load must be one of s, m, l, xl (got '{options.Load}')");
        if (options.Targets.Count == 0 || options.Targets.Any(t => !CheckPerfOptions.KnownTargets.Contains(t)))
            throw new ArgumentException($"--targets takes null, coordinator, etcd (got '{string.Join(",", options.Targets)}')");
        if (options.Members is < 1 or > 7) throw new ArgumentException("--members must be 1 to 7");
        if (options.Runs < 1) throw new ArgumentException("--runs must be at least 1");
        if (options.Burn.Any(b => b is <= 0 or > 1)) throw new ArgumentException("--burn takes fractions of one core in (0, 1]");
        return options;
    }

    private static double ParseFraction(string s) =>
        double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v : throw new ArgumentException($"--burn: '{s}' is not a number");
}
