using System.Collections.Concurrent;
using System.Diagnostics;

namespace Coordinator.Tests.Integration;

/// <summary>A real single-member etcd 3.4 (/usr/bin/etcd or $ETCD_BIN) on free loopback ports with the given extra
/// flags (e.g. --enable-v2), killed and its data dir removed on dispose. Missing etcd fails loudly: CI installs it.</summary>
internal sealed class EtcdProcess : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("coordinator-etcd-").FullName;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Process _process;

    public EtcdProcess(params string[] extraArgs)
    {
        var binary = Environment.GetEnvironmentVariable("ETCD_BIN") ?? "/usr/bin/etcd";
        if (!File.Exists(binary)) throw new InvalidOperationException($"etcd 3.4 not found at {binary}: apt-get install -y etcd-server");
        var ports = FreePorts.Take(2);
        Endpoint = $"127.0.0.1:{ports[0]}";
        var client = "http://" + Endpoint;
        var peer = $"http://127.0.0.1:{ports[1]}";
        var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     "--name", "m1", "--data-dir", _dataDir, "--listen-client-urls", client, "--advertise-client-urls", client,
                     "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", $"m1={peer}",
                 }.Concat(extraArgs))
            psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Endpoint { get; }
    public string ClientUrl => "http://" + Endpoint;

    public string Output => string.Join("\n", _output);

    public async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                if ((await http.GetAsync($"http://{Endpoint}/health")).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("etcd did not become healthy:\n" + Output);
    }

    public void Dispose()
    {
        if (!_process.HasExited) { _process.Kill(entireProcessTree: true); _process.WaitForExit(10_000); }
        _process.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch { }
    }
}
