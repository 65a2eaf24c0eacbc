using Xunit;
using System.Diagnostics;

namespace Coordinator.Tests.Integration.Discovery;

/// <summary>Members for discovery tests: a <see cref="TestCluster"/> whose members come with no --initial-cluster
/// (discovery decides it), and helpers to watch a member that must refuse to start.</summary>
internal static class DiscoveryProcesses
{
    /// <summary>Adds a member named <paramref name="name"/> on free ports with <paramref name="args"/>; not started.</summary>
    public static CoordinatorProcess AddMember(this TestCluster cluster, string name, params string[] args)
    {
        var ports = FreePorts.Take(2);
        var member = new CoordinatorProcess(name, ports[0], ports[1], Path.Combine(cluster.Root, name), args);
        cluster.Members.Add(member);
        return member;
    }

    /// <summary>Starts the member and waits for it to exit (it must: its discovery fails); returns its output.</summary>
    public static async Task<string> StartExpectingExitAsync(this CoordinatorProcess member, TimeSpan? within = null)
    {
        member.Start();
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (member.Running && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.False(member.Running, $"{member.Name} kept running:\n{member.Output}");
        await Task.Delay(200); // the last lines of output
        return member.Output;
    }

    /// <summary>A real etcd 3.4 member started with <paramref name="args"/>, run until it exits (within
    /// <paramref name="within"/>); returns its output. For differential checks of etcd's error texts.</summary>
    public static async Task<string> RunEtcdUntilExitAsync(IEnumerable<string> args, TimeSpan within, ProcessStartInfo? psi = null,
        int[]? ports = null)
    {
        var binary = Environment.GetEnvironmentVariable("ETCD_BIN") ?? "/usr/bin/etcd";
        if (!File.Exists(binary)) throw new InvalidOperationException($"etcd 3.4 not found at {binary}: apt-get install -y etcd-server");
        var dataDir = Directory.CreateTempSubdirectory("coordinator-etcd-disc-").FullName;
        ports ??= FreePorts.Take(2);
        string[] all =
        [
            "--name", "e1", "--data-dir", Path.Combine(dataDir, "e1"),
            "--listen-client-urls", $"http://127.0.0.1:{ports[0]}", "--advertise-client-urls", $"http://127.0.0.1:{ports[0]}",
            "--listen-peer-urls", $"http://127.0.0.1:{ports[1]}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{ports[1]}",
            .. args,
        ];
        psi ??= new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in all) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(within);
        try { await p.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { p.Kill(true); await p.WaitForExitAsync(); }
        try { Directory.Delete(dataDir, recursive: true); } catch { }
        return await stdout + await stderr;
    }
}
