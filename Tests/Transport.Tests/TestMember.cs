using System.Collections.Concurrent;
using System.Net;
using Coordinator.Grains.Raft;
using Coordinator.Silo.Transport;
using Microsoft.Extensions.Logging;

namespace Coordinator.Tests.Transport;

/// <summary>One member under test: a transport, its real Kestrel listener, and everything it received or reported.</summary>
internal sealed class TestMember : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly Task _inboxPump;

    private TestMember(PeerTransport transport, PeerListener listener, ILoggerFactory loggerFactory, ListLoggerProvider logs)
    {
        Transport = transport;
        Listener = listener;
        _loggerFactory = loggerFactory;
        Logs = logs;
        _inboxPump = Task.Run(async () =>
        {
            await foreach (var message in transport.Inbound.ReadAllAsync()) Received.Enqueue(message);
        });
    }

    public PeerTransport Transport { get; }
    public PeerListener Listener { get; }
    public ulong Id => Transport.MemberId;
    public Uri Url => Listener.Url;
    public ListLoggerProvider Logs { get; }
    public ConcurrentQueue<Message> Received { get; } = new();
    public ConcurrentQueue<ulong> Unreachable { get; } = new();
    public ConcurrentQueue<(ulong Peer, bool Delivered)> SnapshotReports { get; } = new();

    public static async Task<TestMember> StartAsync(
        ulong id, ulong clusterId = 1, Func<PeerTransportOptions, PeerTransportOptions>? configure = null,
        int port = 0, bool startTransport = true)
    {
        var logs = new ListLoggerProvider();
        var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var options = new PeerTransportOptions { ClusterId = clusterId, MemberId = id };
        var transport = new PeerTransport(configure?.Invoke(options) ?? options, loggerFactory);
        var listener = await PeerListener.StartAsync(transport, IPAddress.Loopback, port);
        var member = new TestMember(transport, listener, loggerFactory, logs);
        if (startTransport) member.StartTransport();
        return member;
    }

    public void StartTransport() =>
        Transport.Start(peer => Unreachable.Enqueue(peer), (peer, delivered) => SnapshotReports.Enqueue((peer, delivered)));

    public void Connect(params TestMember[] peers)
    {
        foreach (var peer in peers) Transport.AddPeer(peer.Id, peer.Url);
    }

    public IEnumerable<Message> ReceivedFrom(ulong from) => Received.Where(m => m.From == from);

    public async ValueTask DisposeAsync()
    {
        await Transport.StopAsync();
        await Listener.DisposeAsync();
        await _inboxPump;
        _loggerFactory.Dispose();
    }
}
