using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Coordinator.Bench.CheckPerf;
using Coordinator.Bench.Comparison;
using Xunit;

namespace Coordinator.Tests.Bench;

/// <summary>The null server must look like etcd to etcdctl (grpc-go over h2c), or check-perf's ceiling row
/// would measure failures instead of calls.</summary>
public class NullEtcdServerTests
{
    [Fact]
    public async Task Etcdctl_puts_reads_and_deletes_against_it_and_sees_revision_1()
    {
        var port = FreePorts.Take(1)[0];
        using var stop = new CancellationTokenSource();
        var server = NullEtcdServer.RunAsync(port, stop.Token);
        try
        {
            await WaitListeningAsync(port);
            Assert.Equal("OK", await EtcdctlAsync(port, "put", "k", "v"));
            Assert.Equal("", await EtcdctlAsync(port, "get", "k"));
            Assert.Equal("0", await EtcdctlAsync(port, "del", "k", "--prefix"));
            Assert.Contains("\"revision\":1", await EtcdctlAsync(port, "-w", "json", "get", "k"));
        }
        finally
        {
            stop.Cancel();
            await server;
        }
    }

    private static async Task<string> EtcdctlAsync(int port, params string[] args)
    {
        var psi = new ProcessStartInfo("etcdctl") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("--endpoints");
        psi.ArgumentList.Add($"127.0.0.1:{port}");
        psi.ArgumentList.Add("--command-timeout=10s");
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["ETCDCTL_API"] = "3";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"etcdctl {string.Join(' ', args)} exited with {p.ExitCode}: {stderr}");
        return (await stdout).Trim();
    }

    private static async Task WaitListeningAsync(int port)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (attempt < 200) { await Task.Delay(50); }
        }
    }
}
