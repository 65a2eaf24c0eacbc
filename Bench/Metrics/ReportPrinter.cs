using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coordinator.Bench.Metrics;

/// <summary>Prints a <see cref="RunReport"/> for people (a latency table) or machines (--json).</summary>
public static class ReportPrinter
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Print(RunReport r, bool json, TextWriter output)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(r, Json));
            return;
        }
        output.WriteLine($"{r.Workload}: {r.Operation}");
        output.WriteLine($"  {r.Settings}");
        output.WriteLine($"  {r.Operations} ops in {r.Seconds:F2} s = {r.Throughput:F1} ops/s, {r.ErrorCount} errors");
        output.WriteLine($"  {"latency ms",-12}{"count",9}{"mean",9}{"p50",9}{"p90",9}{"p99",9}{"p99.9",9}{"max",9}");
        foreach (var (name, s) in r.Latency)
            output.WriteLine($"  {name,-12}{s.Count,9}{s.Mean,9:F3}{s.P50,9:F3}{s.P90,9:F3}{s.P99,9:F3}{s.P999,9:F3}{s.Max,9:F3}");
        foreach (var (name, v) in r.Counters)
            output.WriteLine($"  {name}: {v}" + (r.Seconds > 0 && name != "watchers" ? $" ({v / r.Seconds:F1}/s)" : ""));
        foreach (var (label, n) in r.Errors)
            output.WriteLine($"  error {label}: {n}");
    }
}
