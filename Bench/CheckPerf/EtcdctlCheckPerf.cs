using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Coordinator.Bench.CheckPerf;

/// <summary>What one `etcdctl check perf` run printed, and what it cost.</summary>
public sealed record CheckPerfResult(
    double? WritesPerSecond, double? SlowestSeconds, double? StddevSeconds, bool Passed,
    IReadOnlyList<string> Verdicts, double EtcdctlCpuSeconds, int ExitCode);

/// <summary>
/// Runs `etcdctl check perf --load=L` (etcd 3.4: a rate-limited generator feeding 50–1000 clients that put
/// random keys for 60 s) against some endpoints and reads its PASS/FAIL lines. Its own CPU is measured from
/// getrusage of reaped children, so nothing else this process starts may exit while it runs.
/// </summary>
public static partial class EtcdctlCheckPerf
{
    public static async Task<CheckPerfResult> RunAsync(string etcdctl, string load, IReadOnlyList<string> endpoints, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(etcdctl)
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var a in new[] { "--endpoints", string.Join(",", endpoints), "check", "perf", $"--load={load}" })
            psi.ArgumentList.Add(a);
        psi.Environment["ETCDCTL_API"] = "3";
        var cpuBefore = CpuClock.OfReapedChildren();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {etcdctl}");
        var output = new StringBuilder();
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        try { await p.WaitForExitAsync(ct); }
        catch (OperationCanceledException) { p.Kill(entireProcessTree: true); throw; }
        output.Append(await stdout).Append('\n').Append(await stderr);
        var cpu = CpuClock.OfReapedChildren() - cpuBefore;
        return Parse(output.ToString(), cpu, p.ExitCode);
    }

    /// <summary>Reads the summary lines; the progress bar (redrawn with carriage returns) is skipped. Its last
    /// frame has no line end, so the first verdict follows it on the same line ("98.33%PASS: Throughput ...").</summary>
    public static CheckPerfResult Parse(string output, double cpuSeconds, int exitCode)
    {
        var lines = output.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => Verdict().Match(l) is { Success: true } m ? l[m.Index..]
                : l.Contains("Error", StringComparison.OrdinalIgnoreCase) ? l : null)
            .OfType<string>()
            .ToList();
        double? Find(Regex pattern) => lines.Select(l => pattern.Match(l)).FirstOrDefault(m => m.Success) is { } m
            ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        var passed = exitCode == 0 && lines.Count > 0 && lines[^1] == "PASS";
        return new CheckPerfResult(Find(Throughput()), Find(Slowest()), Find(Stddev()), passed, lines, cpuSeconds, exitCode);
    }

    [GeneratedRegex(@"(PASS|FAIL)(:|$)")]
    private static partial Regex Verdict();

    [GeneratedRegex(@"([0-9.]+) writes/s")]
    private static partial Regex Throughput();

    [GeneratedRegex(@"Slowest request took ([0-9.]+)s")]
    private static partial Regex Slowest();

    [GeneratedRegex(@"Stddev is ([0-9.]+)s")]
    private static partial Regex Stddev();
}
