using Coordinator.Bench.Running;

namespace Coordinator.Bench.Comparison;

/// <summary>Settings of a `compare` session.</summary>
public sealed record CompareOptions
{
    public IReadOnlyList<int> Members { get; init; } = [1, 3];
    public int Runs { get; init; } = 3;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);
    public string DataRoot { get; init; } = "/tmp/coordinator-bench";
    public string? EtcdPath { get; init; }
    public string? CoordinatorPath { get; init; }
    public IReadOnlyList<string> Rows { get; init; } = [];
    public bool SkipMemory { get; init; }
    public bool SkipRestart { get; init; }
    public long LoadKeys { get; init; } = 100_000;
    public long RestartKeys { get; init; }
    public string? JsonFile { get; init; }
    public int HeartbeatMs { get; init; } = 100;
    public int ElectionMs { get; init; } = 1000;
    /// <summary>--tls: clients over TLS with client certificates (--client-cert-auth) on both kinds.</summary>
    public bool Tls { get; init; }
    /// <summary>--auth: auth enabled, the rows run as a user with readwrite on "bench/".</summary>
    public bool Auth { get; init; }

    /// <summary>Appended to the topology in the table's sections.</summary>
    public string ModeTag => (Tls, Auth) switch { (true, true) => " tls+auth", (true, false) => " tls", (false, true) => " auth", _ => "" };
}

public static class CompareOptionsReader
{
    public static CompareOptions Read(OptionParser p)
    {
        var d = new CompareOptions();
        var load = p.Long("load-keys", d.LoadKeys);
        return new CompareOptions
        {
            Members = p.List("members", ["1", "3"]).Select(int.Parse).ToList(),
            Runs = p.Int("runs", d.Runs),
            Duration = p.Duration("duration", d.Duration),
            Warmup = p.Duration("warmup", d.Warmup),
            DataRoot = p.Text("data-root", d.DataRoot),
            EtcdPath = p.Text("etcd", "") is { Length: > 0 } e ? e : null,
            CoordinatorPath = p.Text("coordinator", "") is { Length: > 0 } c ? c : null,
            Rows = p.List("rows", []),
            SkipMemory = p.Bool("skip-memory", false),
            SkipRestart = p.Bool("skip-restart", false),
            LoadKeys = load,
            RestartKeys = p.Long("restart-keys", load),
            JsonFile = p.Text("json", "") is { Length: > 0 } j && j != "true" ? j : null,
            HeartbeatMs = p.Int("heartbeat-interval", d.HeartbeatMs),
            ElectionMs = p.Int("election-timeout", d.ElectionMs),
            Tls = p.Bool("tls", false),
            Auth = p.Bool("auth", false),
        };
    }
}
