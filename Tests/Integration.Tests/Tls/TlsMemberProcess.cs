using System.Collections.Concurrent;
using System.Diagnostics;

namespace Coordinator.Tests.Integration.Tls;

/// <summary>
/// One member — `coordinator` or real etcd 3.4, started with the same etcd flags — whose client and peer URLs may be
/// https://. Listens on 127.0.0.1 on free ports; killed and its data dir removed on dispose.
/// </summary>
internal sealed class TlsMemberProcess : IDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private readonly List<string> _args;
    private Process? _process;

    /// <param name="initialCluster">null: a single-member cluster of this member.</param>
    /// <param name="discovered">the initial cluster comes from discovery flags in <paramref name="tlsArgs"/>: no
    /// --initial-cluster or token of its own.</param>
    public TlsMemberProcess(ServerKind kind, string name, string root, string clientScheme, string peerScheme,
        IEnumerable<string> tlsArgs, int[]? ports = null, string? initialCluster = null, string? token = null, bool discovered = false)
    {
        Kind = kind;
        Name = name;
        ports ??= FreePorts.Take(2);
        ClientPort = ports[0];
        PeerPort = ports[1];
        ClientUrl = $"{clientScheme}://127.0.0.1:{ClientPort}";
        PeerUrl = $"{peerScheme}://127.0.0.1:{PeerPort}";
        DataDir = Path.Combine(root, name + "-" + kind.ToString().ToLowerInvariant());
        _args =
        [
            "--name", name, "--data-dir", DataDir,
            "--listen-client-urls", ClientUrl, "--advertise-client-urls", ClientUrl,
            "--listen-peer-urls", PeerUrl, "--initial-advertise-peer-urls", PeerUrl,
            .. (discovered ? [] : new[]
            {
                "--initial-cluster", initialCluster ?? $"{name}={PeerUrl}",
                "--initial-cluster-token", token ?? "tls-" + Guid.NewGuid().ToString("N")[..8],
            }),
            "--heartbeat-interval", "50", "--election-timeout", "500",
            .. tlsArgs,
        ];
    }

    public ServerKind Kind { get; }
    public string Name { get; }
    public int ClientPort { get; }
    public int PeerPort { get; }
    public string ClientUrl { get; }
    public string PeerUrl { get; }
    public string DataDir { get; }
    public string Endpoint => $"127.0.0.1:{ClientPort}";
    public string Output => string.Join("\n", _output);
    public bool Running => _process is { HasExited: false };
    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    public void Start()
    {
        ProcessStartInfo psi;
        if (Kind == ServerKind.Coordinator)
        {
            psi = new ProcessStartInfo("dotnet");
            psi.ArgumentList.Add(RepoPaths.CoordinatorDll);
        }
        else
        {
            var binary = Environment.GetEnvironmentVariable("ETCD_BIN") ?? "/usr/bin/etcd";
            if (!File.Exists(binary)) throw new InvalidOperationException($"etcd 3.4 not found at {binary}: apt-get install -y etcd-server");
            psi = new ProcessStartInfo(binary);
        }
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        foreach (var a in _args) psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Waits until GET /health (through <paramref name="http"/>, which carries the TLS settings) answers 200.</summary>
    public async Task WaitHealthyAsync(HttpClient http, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (!Running) throw new InvalidOperationException($"{Kind} {Name} exited ({ExitCode}):\n{Output}");
            try
            {
                using var response = await http.GetAsync(ClientUrl + "/health");
                if ((int)response.StatusCode == 200 && (await response.Content.ReadAsStringAsync()).Contains("\"true\"")) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{Kind} {Name} did not become healthy:\n{Output}");
    }

    /// <summary>For a start that must fail: waits for the exit and returns the output.</summary>
    public async Task<string> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        await _process!.WaitForExitAsync(timeout.Token);
        _process.WaitForExit(); // drains the output readers
        return Output;
    }

    public void Dispose()
    {
        if (_process is { HasExited: false } p) { p.Kill(entireProcessTree: true); p.WaitForExit(10_000); }
        _process?.Dispose();
    }
}
