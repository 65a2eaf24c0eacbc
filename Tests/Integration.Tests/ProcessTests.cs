using System.Diagnostics;
using Xunit;

namespace Coordinator.Tests.Integration;

/// <summary>The `coordinator` executable's command line and lifecycle.</summary>
[Trait("Category", "Integration")]
public sealed class ProcessTests
{
    private static async Task<(int Exit, string Out, string Err)> RunAsync(string workDir, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workDir };
        psi.ArgumentList.Add(RepoPaths.CoordinatorDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await o, await e);
    }

    [Fact]
    public async Task Help_ListsEveryEtcdFlag()
    {
        var (exit, output, _) = await RunAsync(Path.GetTempPath(), "--help");
        Assert.Equal(0, exit);
        foreach (var flag in new[] { "--name", "--data-dir", "--listen-client-urls", "--advertise-client-urls", "--listen-peer-urls",
                     "--initial-advertise-peer-urls", "--initial-cluster", "--initial-cluster-state", "--initial-cluster-token",
                     "--heartbeat-interval", "--election-timeout", "--snapshot-count", "--max-request-bytes", "--max-txn-ops",
                     "--quota-backend-bytes", "--auto-compaction-mode", "--auto-compaction-retention", "--log-level" })
            Assert.Contains(flag, output);
    }

    [Fact]
    public async Task Version_PrintsVersions()
    {
        var (exit, output, _) = await RunAsync(Path.GetTempPath(), "--version");
        Assert.Equal(0, exit);
        Assert.Contains("coordinator Version:", output);
        Assert.Contains("etcd API Version: 3.4", output);
    }

    [Theory]
    [InlineData("--election-timeout=10")]
    [InlineData("--initial-cluster=x=http://127.0.0.1:1")]
    [InlineData("--no-such-flag=1")]
    public async Task BadFlags_StopWithOneLineAndExit1(string arg)
    {
        var (exit, output, error) = await RunAsync(Path.GetTempPath(), arg);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("coordinator: ", error);
    }

    [Fact]
    public async Task DataDirOfAnotherMember_IsRefused()
    {
        using var cluster = new TestCluster(1);
        await cluster.StartAsync();
        var m = cluster.Members[0];
        m.Kill();
        var (exit, _, error) = await RunAsync(Path.GetTempPath(), "--name", "intruder", "--data-dir", m.DataDir,
            "--listen-client-urls", m.ClientUrl, "--listen-peer-urls", m.PeerUrl);
        Assert.Equal(1, exit);
        Assert.Contains("belongs to member 'm1'", error);
    }

    [Fact]
    public async Task SecondProcessOnTheSameDataDir_IsRefused()
    {
        using var cluster = new TestCluster(1);
        await cluster.StartAsync();
        var m = cluster.Members[0];
        var ports = FreePorts.Take(2);
        var (exit, _, error) = await RunAsync(Path.GetTempPath(), "--name", "m1", "--data-dir", m.DataDir,
            "--listen-client-urls", $"http://127.0.0.1:{ports[0]}", "--listen-peer-urls", $"http://127.0.0.1:{ports[1]}",
            "--initial-cluster", $"m1=http://127.0.0.1:{ports[1]}");
        Assert.Equal(1, exit);
        Assert.Contains("pid", error);
    }

    [Fact]
    public async Task Sigterm_StopsWithinAFewSeconds_AndRestartResumes()
    {
        using var cluster = new TestCluster(1);
        await cluster.StartAsync();
        var m = cluster.Members[0];
        Assert.Equal(0, (await Etcdctl.RunAsync(m.Endpoint, "put", "survives", "yes")).ExitCode);
        var watch = Process.Start(new ProcessStartInfo("etcdctl", ["--endpoints=" + m.Endpoint, "watch", "x"])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        await Task.Delay(500);
        var stopwatch = Stopwatch.StartNew();
        m.Signal("TERM");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (m.Running && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.False(m.Running, "still running 10 s after SIGTERM:\n" + m.Output);
        watch.Kill();
        m.Start();
        await cluster.WaitForLeaderAsync();
        Assert.Equal("survives\nyes", (await Etcdctl.RunAsync(m.Endpoint, "get", "survives")).Out);
    }

    [Fact]
    public async Task NoLeader_WritesFailWithEtcdsError()
    {
        using var cluster = new TestCluster(3);
        await cluster.StartAsync();
        cluster.Members[0].Kill();
        cluster.Members[1].Kill();
        var r = await Etcdctl.RunAsync(cluster.Members[2].Endpoint, "put", "k", "v");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("no leader", r.Stderr);
    }

    [Fact]
    public async Task SnapshotRestore_RefusesMissingAndForeignFiles()
    {
        var dir = Directory.CreateTempSubdirectory("coordinator-restore-").FullName;
        try
        {
            var missing = await RunAsync(dir, "snapshot", "restore", Path.Combine(dir, "nope.snap"), "--data-dir", Path.Combine(dir, "d"));
            Assert.Equal(1, missing.Exit);
            Assert.Contains("does not exist", missing.Err);
            var garbage = Path.Combine(dir, "garbage.snap");
            await File.WriteAllBytesAsync(garbage, new byte[1000]);
            var foreign = await RunAsync(dir, "snapshot", "status", garbage);
            Assert.Equal(1, foreign.Exit);
            Assert.Contains("is not a coordinator snapshot", foreign.Err);
            Assert.False(Directory.Exists(Path.Combine(dir, "d")));
        }
        finally { Directory.Delete(dir, true); }
    }
}
