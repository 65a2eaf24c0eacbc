using System.Diagnostics;

namespace Coordinator.Tests.Integration;

/// <summary>Runs the real etcdctl 3.4 (Debian's etcd-client; .ci/run installs it).</summary>
internal static class Etcdctl
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Out => Stdout.TrimEnd('\n');
        public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
    }

    public static async Task<Result> RunWithInputAsync(string endpoints, string? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("etcdctl")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        psi.Environment["ETCDCTL_API"] = "3";
        psi.ArgumentList.Add("--endpoints=" + endpoints);
        psi.ArgumentList.Add("--command-timeout=10s");
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("etcdctl is not installed (apt-get install etcd-client)");
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin);
            p.StandardInput.Close();
        }
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150)); // check perf runs 60 s
        try { await p.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { p.Kill(true); throw new TimeoutException($"etcdctl {string.Join(' ', args)} hung"); }
        return new Result(p.ExitCode, await stdout, await stderr);
    }

    public static Task<Result> RunAsync(string endpoints, params string[] args) => RunWithInputAsync(endpoints, null, args);
}
