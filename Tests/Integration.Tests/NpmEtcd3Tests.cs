using System.Diagnostics;
using Xunit;

namespace Coordinator.Tests.Integration;

/// <summary>The npm `etcd3` client (grpc-js) against a 3-member cluster: KV, watch, lease, lock, election.
/// .ci/run installs the package (npm install in Tests/Integration.Tests/node).</summary>
[Trait("Category", "Integration")]
public sealed class NpmEtcd3Tests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new(3);

    public Task InitializeAsync() => _cluster.StartAsync();
    public Task DisposeAsync() { _cluster.Dispose(); return Task.CompletedTask; }

    [Fact]
    public async Task Etcd3Client_KvWatchLeaseLockElection()
    {
        var dir = Path.Combine(RepoPaths.Root, "Tests", "Integration.Tests", "node");
        Assert.True(Directory.Exists(Path.Combine(dir, "node_modules", "etcd3")),
            $"npm etcd3 is not installed: run 'npm install' in {dir} (.ci/run does)");
        var psi = new ProcessStartInfo("node", ["etcd3-check.js"])
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.Environment["ETCD_ENDPOINTS"] = _cluster.Endpoints;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try { await p.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { p.Kill(true); }
        var output = await stdout + await stderr;
        Assert.True(p.HasExited && p.ExitCode == 0, output + "\n" + string.Join("\n---\n", _cluster.Members.Select(m => m.Name + ":\n" + m.Output)));
        foreach (var step in new[] { "kv", "watch", "lease", "lock", "election" })
            Assert.Contains("ok " + step, output);
    }
}
