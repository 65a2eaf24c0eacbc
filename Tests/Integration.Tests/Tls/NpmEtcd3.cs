using System.Diagnostics;

namespace Coordinator.Tests.Integration.Tls;

/// <summary>Runs node/etcd3-tls-check.js (the npm etcd3 client over mutual TLS, optionally logged in as a user).</summary>
internal static class NpmEtcd3
{
    /// <returns>The exit code (-1: killed after a minute) and everything the script printed.</returns>
    public static async Task<(int ExitCode, string Output)> RunTlsCheckAsync(string endpoints, string caFile, TestCertificates.Pair client,
        string? user = null, string? password = null)
    {
        var dir = Path.Combine(RepoPaths.Root, "Tests", "Integration.Tests", "node");
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "etcd3")))
            throw new InvalidOperationException($"npm etcd3 is not installed: run 'npm install' in {dir} (.ci/run does)");
        var psi = new ProcessStartInfo("node", ["etcd3-tls-check.js"])
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.Environment["ETCD_ENDPOINTS"] = endpoints;
        psi.Environment["ETCD_CA"] = caFile;
        psi.Environment["ETCD_CERT"] = client.CertFile;
        psi.Environment["ETCD_KEY"] = client.KeyFile;
        if (user is not null)
        {
            psi.Environment["ETCD_USER"] = user;
            psi.Environment["ETCD_PASSWORD"] = password;
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await p.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { p.Kill(true); await p.WaitForExitAsync(); return (-1, await stdout + await stderr); }
        return (p.ExitCode, await stdout + await stderr);
    }
}
