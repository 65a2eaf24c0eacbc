using System.Collections.Concurrent;
using System.Diagnostics;

namespace Coordinator.Tests.Integration.V2;

/// <summary>A real single-member etcd 3.4 started with --enable-v2 (Debian etcd-server at /usr/bin/etcd or
/// $ETCD_BIN) on free loopback ports. Missing etcd fails loudly: CI installs it.</summary>
internal sealed class EtcdV2Process : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("coordinator-etcd-v2-").FullName;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Process _process;

    public EtcdV2Process()
    {
        var binary = Environment.GetEnvironmentVariable("ETCD_BIN") ?? "/usr/bin/etcd";
        if (!File.Exists(binary)) throw new InvalidOperationException($"etcd 3.4 not found at {binary}: apt-get install -y etcd-server");
        var ports = FreePorts.Take(2);
        ClientUrl = $"http://127.0.0.1:{ports[0]}";
        var peer = $"http://127.0.0.1:{ports[1]}";
        var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     "--enable-v2", "--name", "m1", "--data-dir", _dataDir, "--listen-client-urls", ClientUrl, "--advertise-client-urls", ClientUrl,
                     "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", $"m1={peer}",
                 })
            psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string ClientUrl { get; }

    public async Task WaitHealthyAsync()
    {
        using var curl = new V2Curl();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                if ((await curl.GetAsync(ClientUrl + "/health")).Status == 200) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("etcd did not become healthy:\n" + string.Join("\n", _output));
    }

    public void Dispose()
    {
        if (!_process.HasExited) { _process.Kill(entireProcessTree: true); _process.WaitForExit(10_000); }
        _process.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch { }
    }
}
