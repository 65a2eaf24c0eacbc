using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Coordinator.Tests.Storage.Redis;

/// <summary>
/// A real redis-server (Debian's) on a free loopback port with its own data dir, durable as the replica logs
/// require (appendonly yes, appendfsync always) unless told otherwise. Can be killed with SIGKILL, paused with
/// SIGSTOP and restarted on the same dir and port. Killed on dispose.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly string[] _extraArgs;
    private Process? _process;

    public string DataDir { get; } = Directory.CreateTempSubdirectory("coordinator-redis-").FullName;
    public int Port { get; } = FreePort();

    public RedisServer(params string[] extraArgs)
    {
        _extraArgs = extraArgs;
        Start();
    }

    public string Endpoint => $"127.0.0.1:{Port}";

    public void Start()
    {
        var args = new List<string>
        {
            "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", DataDir, "--save", "",
            "--appendonly", "yes", "--appendfsync", "always", "--daemonize", "no", "--logfile", Path.Combine(DataDir, "redis.log"),
        };
        args.AddRange(_extraArgs);
        var psi = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        _process = Process.Start(psi) ?? throw new InvalidOperationException("redis-server did not start");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                using var c = ConnectionMultiplexer.Connect(Options());
                c.GetDatabase().Ping();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline && !_process.HasExited) { Thread.Sleep(50); }
        }
    }

    public ConfigurationOptions Options(int timeoutMs = 2000) => new()
    {
        EndPoints = { Endpoint }, AbortOnConnectFail = false, SyncTimeout = timeoutMs, AsyncTimeout = timeoutMs,
        ConnectTimeout = timeoutMs, AllowAdmin = true, ConnectRetry = 1,
    };

    public ConnectionMultiplexer Connect(int timeoutMs = 2000) => ConnectionMultiplexer.Connect(Options(timeoutMs));

    public void Kill()
    {
        if (_process is { HasExited: false } p) { p.Kill(); p.WaitForExit(); }
    }

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", $"-{signal} {_process!.Id}");
        kill.WaitForExit();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (_process is { HasExited: false }) Signal("CONT");
        Kill();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
    }
}
