using System.Collections.Concurrent;
using System.Diagnostics;

namespace Coordinator.Tests.Integration;

/// <summary>One real `coordinator` process on loopback. Killed (and its data dir removed) on dispose,
/// whatever happened in the test.</summary>
internal sealed class CoordinatorProcess : IDisposable
{
    private readonly string[] _args;
    private Process? _process;
    private readonly ConcurrentQueue<string> _output = new();

    public string Name { get; }
    public int ClientPort { get; }
    public int PeerPort { get; }
    public string DataDir { get; }
    /// <summary>Address clients dial (loopback unless the member runs in a network namespace).</summary>
    public string ClientHost { get; }
    /// <summary>Address peers dial.</summary>
    public string PeerHost { get; }
    /// <summary>The network namespace the process runs in (`ip netns exec`), or null for the test's own.</summary>
    public string? NetworkNamespace { get; }
    public string ClientUrl => $"http://{ClientHost}:{ClientPort}";
    public string PeerUrl => $"http://{PeerHost}:{PeerPort}";
    public string Endpoint => $"{ClientHost}:{ClientPort}";

    private readonly Dictionary<string, string> _environment = new();

    /// <summary>Environment for the process (e.g. the ETCD_* lines `etcdctl member add` prints).</summary>
    public IDictionary<string, string> Environment => _environment;

    public CoordinatorProcess(string name, int clientPort, int peerPort, string dataDir, IEnumerable<string> extraArgs,
        bool nameAndClusterFromEnvironment = false, string clientHost = "127.0.0.1", string peerHost = "127.0.0.1",
        string? networkNamespace = null)
    {
        Name = name;
        ClientHost = clientHost;
        PeerHost = peerHost;
        NetworkNamespace = networkNamespace;
        ClientPort = clientPort;
        PeerPort = peerPort;
        DataDir = dataDir;
        string[] identity = nameAndClusterFromEnvironment ? [] : ["--name", name];
        _args =
        [
            .. identity, "--data-dir", dataDir,
            "--listen-client-urls", ClientUrl, "--advertise-client-urls", ClientUrl,
            "--listen-peer-urls", PeerUrl, "--initial-advertise-peer-urls", PeerUrl,
            "--heartbeat-interval", "50", "--election-timeout", "500",
            .. extraArgs,
        ];
    }

    public void UseMemberAddOutput(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            var eq = line.IndexOf('=');
            if (line.StartsWith("ETCD_", StringComparison.Ordinal) && eq > 0) _environment[line[..eq]] = line[(eq + 1)..].Trim('"');
        }
    }

    public bool Running => _process is { HasExited: false };
    public string Output => string.Join("\n", _output);

    public void Start()
    {
        var psi = new ProcessStartInfo(NetworkNamespace is null ? "dotnet" : "ip")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        if (NetworkNamespace is not null) foreach (var a in new[] { "netns", "exec", NetworkNamespace, "dotnet" }) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add(RepoPaths.CoordinatorDll);
        foreach (var a in _args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in _environment) psi.Environment[k] = v;
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>kill -9: no chance to flush anything.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p) { p.Kill(entireProcessTree: true); p.WaitForExit(10_000); }
    }

    public void Signal(string signal)
    {
        if (_process is not { HasExited: false } p) return;
        using var kill = Process.Start("kill", ["-" + signal, p.Id.ToString()]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        Signal("CONT");
        Kill();
        _process?.Dispose();
    }
}
