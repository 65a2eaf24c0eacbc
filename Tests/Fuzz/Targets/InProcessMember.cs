using System.Net;
using System.Net.Sockets;
using Coordinator.Silo.Configuration;
using Coordinator.Silo.Hosting;

namespace Coordinator.Fuzz;

/// <summary>A real single-member Coordinator in this process (temp data dir, free loopback ports) for the targets
/// that fuzz the client-facing wire: inputs go through Kestrel, the gateway, Raft and the WAL as a client's do.
/// Owned by one target; deleted with its data dir on dispose.</summary>
internal sealed class InProcessMember : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("coordinator-fuzz-").FullName;
    private readonly CoordinatorServer _server;

    public InProcessMember()
    {
        int clientPort = FreePort(), peerPort = FreePort();
        string[] flags =
        [
            "--name", "fuzz", "--data-dir", Path.Combine(_root, "data"), "--log-level", "error",
            "--initial-cluster", $"fuzz=http://127.0.0.1:{peerPort}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{peerPort}",
            "--listen-peer-urls", $"http://127.0.0.1:{peerPort}", "--listen-client-urls", $"http://127.0.0.1:{clientPort}",
        ];
        var (_, config) = ConfigParser.Parse(flags, _ => null);
        _server = CoordinatorServer.StartAsync(config!).GetAwaiter().GetResult();
        ClientUrl = new Uri($"http://127.0.0.1:{clientPort}");
        Http2 = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            BaseAddress = ClientUrl,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
        Http1 = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = ClientUrl, Timeout = TimeSpan.FromSeconds(30) };
        WaitForLeader();
    }

    public Uri ClientUrl { get; }
    /// <summary>h2c with prior knowledge, as gRPC clients speak.</summary>
    public HttpClient Http2 { get; }
    public HttpClient Http1 { get; }

    private void WaitForLeader()
    {
        for (var i = 0; i < 200; i++)
        {
            try
            {
                if (Http1.GetStringAsync("/health").GetAwaiter().GetResult().Contains("\"true\"")) return;
            }
            catch (HttpRequestException) { }
            Thread.Sleep(50);
        }
        throw new InvalidOperationException("the in-process member never became healthy");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Http2.Dispose();
        Http1.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
