using System.Diagnostics;

namespace Coordinator.Tests.Integration.V2;

/// <summary>Runs the real etcdctl 3.4 with ETCDCTL_API=2 (its v2 commands talk HTTP to /v2/...).</summary>
internal static class EtcdctlV2
{
    /// <summary><paramref name="endpoints"/>: comma-separated client URLs (http://host:port).</summary>
    public static async Task<Etcdctl.Result> RunAsync(string endpoints, params string[] args)
    {
        var psi = new ProcessStartInfo("etcdctl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.Environment["ETCDCTL_API"] = "2";
        psi.ArgumentList.Add("--endpoints=" + endpoints);
        // etcdctl's defaults (2 s per request, 5 s per command) are about speed, which benchmarks measure: on a
        // loaded 2-core CI the first bcrypt-backed request of a fresh member took longer and the command failed.
        if (!args.Any(a => a.StartsWith("--timeout", StringComparison.Ordinal)))
        {
            psi.ArgumentList.Add("--timeout=15s");
            psi.ArgumentList.Add("--total-timeout=30s");
        }
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("etcdctl is not installed (apt-get install etcd-client)");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await p.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { p.Kill(true); throw new TimeoutException($"etcdctl {string.Join(' ', args)} hung"); }
        return new Etcdctl.Result(p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a long-running etcdctl (watch --forever, exec-watch); the caller kills it.</summary>
    public static Process Start(string endpoints, params string[] args)
    {
        var psi = new ProcessStartInfo("etcdctl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.Environment["ETCDCTL_API"] = "2";
        psi.ArgumentList.Add("--endpoints=" + endpoints);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi) ?? throw new InvalidOperationException("etcdctl is not installed");
    }
}
