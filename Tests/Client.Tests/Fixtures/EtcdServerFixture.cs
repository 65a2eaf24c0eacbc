using System.Collections.Concurrent;
using System.Diagnostics;
using Coordinator.Tests.Integration;

namespace Coordinator.Client.Tests.Fixtures;

/// <summary>A real etcd 3.4 (Debian etcd-server, /usr/bin/etcd or $ETCD_BIN) on free loopback ports.
/// Missing etcd fails the tests loudly: CI installs it, so a skip would hide a broken setup.</summary>
public sealed class EtcdServerFixture : IServerFixture, IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("coordinator-client-etcd-").FullName;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;
    private int _clientPort;

    public IReadOnlyList<string> Endpoints => [$"127.0.0.1:{_clientPort}"];

    public static string Binary => Environment.GetEnvironmentVariable("ETCD_BIN") ?? "/usr/bin/etcd";

    public async Task InitializeAsync()
    {
        if (!File.Exists(Binary))
            throw new InvalidOperationException(
                $"etcd 3.4 not found at {Binary}: install it with `apt-get install -y etcd-server` (or set ETCD_BIN). " +
                "The etcd-backed client tests do not skip.");
        var ports = FreePorts.Take(2);
        _clientPort = ports[0];
        var client = $"http://127.0.0.1:{ports[0]}";
        var peer = $"http://127.0.0.1:{ports[1]}";
        var psi = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     "--name", "e1", "--data-dir", _dataDir,
                     "--listen-client-urls", client, "--advertise-client-urls", client,
                     "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                     "--initial-cluster", $"e1={peer}", "--initial-cluster-state", "new",
                 })
            psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var probe = ((IServerFixture)this).CreateClient(o => o.RequestTimeout = TimeSpan.FromSeconds(2));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                var status = await probe.StatusAsync();
                if (status.Leader != 0) return;
            }
            catch (CoordinatorException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
            }
            if (DateTime.UtcNow >= deadline || _process.HasExited)
                throw new InvalidOperationException("etcd did not become ready:\n" + string.Join("\n", _output));
            await Task.Delay(100);
        }
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false } p) { p.Kill(entireProcessTree: true); p.WaitForExit(10_000); }
        _process?.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch { }
        return Task.CompletedTask;
    }
}
