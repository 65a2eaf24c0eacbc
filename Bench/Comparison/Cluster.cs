using System.Diagnostics;
using Grpc.Core;
using Coordinator.Bench.Etcd;
using Etcdserverpb;
using Google.Protobuf;

namespace Coordinator.Bench.Comparison;

/// <summary>
/// N members of one server kind on loopback with fresh data directories and etcd's flags: same heartbeat and
/// election timeout for both kinds, fsync left on (neither kind is given an unsafe flag); optionally TLS for clients.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    private readonly ServerKind _kind;
    private readonly CompareOptions _options;
    private readonly Member[] _members;
    private readonly BenchCertificates? _tls;

    private sealed record Member(string Name, int ClientPort, int PeerPort, string DataDir, string LogFile, string ClientScheme)
    {
        public Process? Process { get; set; }
        public string ClientUrl => $"{ClientScheme}://127.0.0.1:{ClientPort}";
        public string PeerUrl => $"http://127.0.0.1:{PeerPort}";
    }

    /// <param name="tls">Clients over TLS with client certificates (peers stay plain).</param>
    public Cluster(ServerKind kind, int size, CompareOptions options, BenchCertificates? tls = null)
    {
        _kind = kind;
        _options = options;
        _tls = tls;
        ProbeSecurity = tls?.Client ?? ClientSecurity.None;
        var root = Path.Combine(options.DataRoot, $"{kind.Name}-{size}");
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
        Directory.CreateDirectory(root);
        var ports = FreePorts.Take(2 * size);
        _members = Enumerable.Range(0, size).Select(i => new Member($"m{i}", ports[2 * i], ports[2 * i + 1],
            Path.Combine(root, $"m{i}.data"), Path.Combine(root, $"m{i}.log"), tls is null ? "http" : "https")).ToArray();
        Root = root;
    }

    public string Kind => _kind.Name;
    public string Root { get; }
    public int Size => _members.Length;
    public IReadOnlyList<string> Endpoints => _members.Select(m => $"127.0.0.1:{m.ClientPort}").ToList();
    /// <summary>How the readiness probe connects (and logs in, once auth is on).</summary>
    public ClientSecurity ProbeSecurity { get; set; }

    public IEnumerable<int> Pids => _members.Where(m => m.Process is { HasExited: false }).Select(m => m.Process!.Id);

    /// <summary>Starts every member (on existing data if any); returns the moment the first one was started.</summary>
    public long Start()
    {
        var startedAt = Stopwatch.GetTimestamp();
        var initialCluster = string.Join(",", _members.Select(m => $"{m.Name}={m.PeerUrl}"));
        foreach (var m in _members)
        {
            string[] flags =
            [
                "--name", m.Name, "--data-dir", m.DataDir,
                "--listen-client-urls", m.ClientUrl, "--advertise-client-urls", m.ClientUrl,
                "--listen-peer-urls", m.PeerUrl, "--initial-advertise-peer-urls", m.PeerUrl,
                "--initial-cluster", initialCluster, "--initial-cluster-state", "new", "--initial-cluster-token", "bench",
                "--heartbeat-interval", _options.HeartbeatMs.ToString(), "--election-timeout", _options.ElectionMs.ToString(),
                "--snapshot-count", "100000", .. _kind.ExtraFlags, .. _tls?.ServerFlags ?? [],
            ];
            // sh execs the server, so the pid we track is the server's own; output goes to a log next to the data.
            var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$BENCH_LOG\" 2>&1");
            psi.ArgumentList.Add(_kind.Binary);
            foreach (var f in flags) psi.ArgumentList.Add(f);
            psi.Environment["BENCH_LOG"] = m.LogFile;
            m.Process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {_kind.Binary}");
            ProcessReaper.Track(m.Process);
        }
        return startedAt;
    }

    /// <summary>
    /// Polls a linearizable read until it succeeds on every endpoint (<paramref name="anyEndpoint"/>: on one).
    /// Returns when that happened, as a Stopwatch timestamp.
    /// </summary>
    public async Task<long> WaitReadyAsync(bool anyEndpoint, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var pending = Endpoints.ToList();
        var probe = new RangeRequest { Key = ByteString.CopyFromUtf8("bench/ready") };
        while (true)
        {
            foreach (var endpoint in pending.ToList())
            {
                using var connection = new EtcdClient(endpoint, ProbeSecurity);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
                attempt.CancelAfter(TimeSpan.FromSeconds(1));
                try
                {
                    await connection.AuthenticateAsync(attempt.Token);
                    await connection.RangeAsync(probe, attempt.Token);
                    pending.Remove(endpoint);
                    if (anyEndpoint)
                        return Stopwatch.GetTimestamp();
                }
                catch (Exception e) when (e is RpcException or HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested) { }
            }
            if (pending.Count == 0)
                return Stopwatch.GetTimestamp();
            foreach (var m in _members)
                if (m.Process is { HasExited: true } p)
                    throw new InvalidOperationException($"{Kind} member {m.Name} exited with {p.ExitCode}; see {m.LogFile}");
            if (Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException($"{Kind} x{Size} not ready after {timeout}; logs in {Root}");
            await Task.Delay(10, ct);
        }
    }

    /// <summary>SIGTERM every member and wait for it to exit (kill after 10 s).</summary>
    public async Task StopAsync()
    {
        foreach (var m in _members)
            if (m.Process is { HasExited: false } p)
                PosixSignals.Terminate(p.Id);
        foreach (var m in _members)
        {
            if (m.Process is not { } p) continue;
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await p.WaitForExitAsync(grace.Token); } catch (OperationCanceledException) { }
            ProcessReaper.Kill(p);
            m.Process = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
