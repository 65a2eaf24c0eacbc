using Coordinator.Grains.Raft;
using Coordinator.Silo.Cluster;
using Coordinator.Silo.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Coordinator.Silo.Hosting;

/// <summary>The replica host's view of the peer transport: sends, peer set, lease forwarding; and the pump
/// that hands received messages to the host.</summary>
public sealed class PeerNetwork : IPeerNetwork, IAsyncDisposable
{
    private readonly PeerTransport _transport;
    private readonly object _peersLock = new();
    private Dictionary<ulong, IReadOnlyList<Uri>> _peers = new();
    private ReplicaHost? _host;
    private Task? _pump;

    /// <param name="tls">TLS for dials to https:// peer URLs (null: no peer TLS settings).</param>
    public PeerNetwork(ClusterIdentity identity, ILoggerFactory loggerFactory, System.Net.Security.SslClientAuthenticationOptions? tls = null)
    {
        _transport = new PeerTransport(new PeerTransportOptions { ClusterId = identity.ClusterId, MemberId = identity.MemberId, Tls = tls }, loggerFactory);
    }

    public ulong ClusterId => _transport.ClusterId;
    /// <summary>Append counts, rates and follower latency measured by the transport (v2 stats).</summary>
    public RaftTrafficStats Traffic => _transport.Traffic;
    public ReplicaHost? Host => _host;

    public void Attach(ReplicaHost host)
    {
        _host = host;
        _transport.RegisterHandler(ReplicaHost.KeepAliveMethod, (_, body, ct) => host.HandleLeaseCallAsync(ReplicaHost.KeepAliveMethod, body, ct));
        _transport.RegisterHandler(ReplicaHost.RemainingTtlMethod, (_, body, ct) => host.HandleLeaseCallAsync(ReplicaHost.RemainingTtlMethod, body, ct));
        _transport.RegisterHandler(ReplicaHost.RemovedNoticeMethod, (_, _, _) => host.HandleRemovedNoticeAsync());
        foreach (var method in new[] { "member-add", "member-remove", "member-promote" })
            _transport.RegisterHandler(ReplicaHost.AdminMethodPrefix + method, (_, body, ct) => host.HandleAdminCallAsync(method, body, ct));
    }

    public void ConfigureKestrel(KestrelServerOptions options) => PeerRequestLimits.ConfigurePeerListener(options);

    public void MapEndpoints(WebApplication app) => app.MapRaftPeerEndpoints(_transport);

    public Task StartAsync()
    {
        var host = _host ?? throw new InvalidOperationException("attach the replica host first");
        _transport.Start(host.ReportUnreachable, host.ReportSnapshot);
        _pump = Task.Run(async () =>
        {
            // Everything already received goes to the loop as one inbox item.
            var inbound = _transport.Inbound;
            while (await inbound.WaitToReadAsync())
            {
                var batch = new List<Message>();
                while (batch.Count < 4096 && inbound.TryRead(out var message)) batch.Add(message);
                try { host.Deliver(batch); }
                catch (Gateway.NodeException) { return; } // host stopped
            }
        });
        return Task.CompletedTask;
    }

#if DEBUG
    private readonly PeerMessageFailpoint? _failpoint = PeerMessageFailpoint.FromEnvironment();
    public void Send(IReadOnlyList<Message> messages) => _transport.Send(_failpoint?.Filter(messages) ?? messages);
#else
    public void Send(IReadOnlyList<Message> messages) => _transport.Send(messages);
#endif

    public void SetPeers(IReadOnlyDictionary<ulong, IReadOnlyList<Uri>> peers)
    {
        lock (_peersLock)
        {
            foreach (var id in _peers.Keys.Where(id => !peers.ContainsKey(id)).ToList()) RemoveLater(id);
            foreach (var (id, urls) in peers)
            {
                if (urls.Count == 0) continue;
                if (!_peers.TryGetValue(id, out var old)) _transport.AddPeer(id, urls[0]);
                else if (old.Count == 0 || old[0] != urls[0]) _transport.UpdatePeer(id, urls[0]);
            }
            _peers = peers.ToDictionary(p => p.Key, p => p.Value);
        }
    }

    /// <summary>A removed member stays reachable for a while, so it can be told it was removed.</summary>
    private void RemoveLater(ulong id) => _ = Task.Delay(TimeSpan.FromSeconds(10)).ContinueWith(_ =>
    {
        lock (_peersLock)
            if (!_peers.ContainsKey(id)) _transport.RemovePeer(id);
    }, TaskScheduler.Default);

    public Task<byte[]> CallAsync(ulong peer, string method, byte[] body, CancellationToken cancellationToken) =>
        _transport.CallAsync(peer, method, body, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _transport.StopAsync();
        if (_pump is not null) { try { await _pump; } catch { } }
    }
}
