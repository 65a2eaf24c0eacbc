using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Coordinator.Grains.Raft;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coordinator.Silo.Transport;

/// <summary>
/// One member's Raft transport over HTTP/2 (h2c, prior knowledge). Outbound: per peer one long-lived
/// <c>POST /raft/stream</c> carrying batched messages, plus <c>POST /raft/snapshot</c> for snapshots and
/// <c>POST /raft/rpc/{method}</c> for unary calls. Inbound: the same endpoints, mounted with
/// <see cref="PeerEndpointRouteBuilderExtensions.MapRaftPeerEndpoints"/>; received messages appear on <see cref="Inbound"/>.
/// Thread-safe. Callbacks run on transport threads and must be quick and thread-safe (post to the replica loop).
/// </summary>
public sealed partial class PeerTransport : IAsyncDisposable
{
    private readonly ConcurrentDictionary<ulong, PeerConnection> _peers = new();
    private readonly ConcurrentDictionary<string, Func<ulong, byte[], CancellationToken, Task<byte[]>>> _handlers = new(StringComparer.Ordinal);
    private readonly Channel<Message> _inbound;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _removals = [];      // guarded by _lifecycle
    private readonly Lock _lifecycle = new();
    private Action<ulong>? _reportUnreachable;
    private Action<ulong, bool>? _reportSnapshot;
    private bool _started, _stopped;                 // guarded by _lifecycle

    public PeerTransport(PeerTransportOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MemberId == 0) throw new ArgumentException("member id must not be 0", nameof(options));
        if (options.MaxFrameBytes <= options.MaxBatchBytes)
            throw new ArgumentException("MaxFrameBytes must exceed MaxBatchBytes", nameof(options));
        Options = options;
        Logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PeerTransport>();
        _inbound = Channel.CreateBounded<Message>(new BoundedChannelOptions(options.InboundCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
        });
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectTimeout = options.ConnectTimeout,
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = options.KeepAlivePingDelay,
            KeepAlivePingTimeout = options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        };
        if (options.Tls is not null) handler.SslOptions = options.Tls;
        Http = new HttpClient(handler)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public PeerTransportOptions Options { get; }
    public ulong ClusterId => Options.ClusterId;
    public ulong MemberId => Options.MemberId;
    public PeerTransportStatistics Statistics { get; } = new();

    /// <summary>Append counts, rates and per-follower latency (etcd's /v2/stats/self and /v2/stats/leader).</summary>
    public RaftTrafficStats Traffic { get; } = new();

    /// <summary>
    /// Messages received from peers, in order per sending peer. Bounded: when the host falls behind, the peer
    /// streams are back-pressured (and senders drop on overflow). Completed by <see cref="StopAsync"/>.
    /// </summary>
    public ChannelReader<Message> Inbound => _inbound.Reader;

    internal ILogger Logger { get; }
    internal HttpClient Http { get; }
    internal CancellationToken StoppingToken => _stopping.Token;
    internal ChannelWriter<Message> InboundWriter => _inbound.Writer;

    /// <summary>
    /// Starts the outbound connections. <paramref name="reportUnreachable"/> is called when a peer's stream
    /// breaks, a dial fails or its queue overflows (→ <c>Replica.ReportUnreachable</c>);
    /// <paramref name="reportSnapshot"/> when a snapshot was delivered or failed (→ <c>Replica.ReportSnapshot</c>).
    /// </summary>
    public void Start(Action<ulong> reportUnreachable, Action<ulong, bool> reportSnapshot)
    {
        ArgumentNullException.ThrowIfNull(reportUnreachable);
        ArgumentNullException.ThrowIfNull(reportSnapshot);
        lock (_lifecycle)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            if (_started) throw new InvalidOperationException("the transport is already started");
            _reportUnreachable = reportUnreachable;
            _reportSnapshot = reportSnapshot;
            _started = true;
            foreach (var peer in _peers.Values) peer.Start();
        }
    }

    /// <summary>Adds a peer (or updates its URL if known). Messages may be sent to it from now on.</summary>
    public void AddPeer(ulong id, Uri peerUrl)
    {
        ArgumentNullException.ThrowIfNull(peerUrl);
        if (id == 0 || id == MemberId) throw new ArgumentException($"invalid peer id {id}", nameof(id));
        lock (_lifecycle)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            if (_peers.TryGetValue(id, out var existing))
            {
                existing.UpdateUrl(peerUrl);
                return;
            }
            var peer = new PeerConnection(this, id, peerUrl);
            _peers[id] = peer;
            if (_started) peer.Start();
        }
    }

    /// <summary>Forgets a peer: its stream is closed and queued messages are dropped. False if unknown.</summary>
    public bool RemovePeer(ulong id)
    {
        lock (_lifecycle)
        {
            if (!_peers.TryRemove(id, out var peer)) return false;
            _removals.Add(peer.DisposeAsync().AsTask());
            return true;
        }
    }

    /// <summary>Changes a known peer's URL; its stream reconnects to the new URL at once.</summary>
    public void UpdatePeer(ulong id, Uri peerUrl)
    {
        ArgumentNullException.ThrowIfNull(peerUrl);
        if (!_peers.TryGetValue(id, out var peer)) throw new KeyNotFoundException($"unknown peer {PeerHeaders.FormatId(id)}");
        peer.UpdateUrl(peerUrl);
    }

    public PeerConnectionState GetPeerState(ulong id) =>
        _peers.TryGetValue(id, out var peer) ? peer.State : throw new KeyNotFoundException($"unknown peer {PeerHeaders.FormatId(id)}");

    public IReadOnlyCollection<ulong> Peers => _peers.Keys.ToArray();

    /// <summary>
    /// Queues messages for their destinations without blocking. Messages to unknown peers, above the frame
    /// limit, or to a peer whose queue is full are dropped; a full queue reports the peer unreachable.
    /// </summary>
    public void Send(IReadOnlyList<Message> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        HashSet<ulong>? overflowed = null;
        var maxMessageBytes = Options.MaxFrameBytes - Options.MaxBatchBytes;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (!_peers.TryGetValue(message.To, out var peer))
            {
                Interlocked.Increment(ref Statistics.messagesDropped);
                TransportLog.UnknownPeer(Logger, message.To);
                continue;
            }
            long size = 0;
            if (message.Type != MessageType.InstallSnapshot)
            {
                size = RaftMessageCodec.GetEncodedSize(message);
                if (size > maxMessageBytes)
                {
                    Interlocked.Increment(ref Statistics.messagesDropped);
                    TransportLog.MessageTooLarge(Logger, message.To, (int)Math.Min(size, int.MaxValue));
                    continue;
                }
            }
            if (peer.TryEnqueue(message))
            {
                Traffic.OnSend(message, size);
                continue;
            }
            Traffic.OnFailure(message.To);
            Interlocked.Increment(ref Statistics.messagesDropped);
            if (message.Type == MessageType.InstallSnapshot) NotifySnapshot(message.To, false);
            (overflowed ??= []).Add(message.To);
        }
        if (overflowed is null) return;
        foreach (var id in overflowed) NotifyUnreachable(id);
    }

    /// <summary>Closes every stream and waits for the peer loops; completes <see cref="Inbound"/>. Idempotent.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        List<Task> pending;
        lock (_lifecycle)
        {
            if (_stopped) return;
            _stopped = true;
            pending = [.. _removals];
            foreach (var id in _peers.Keys)
                if (_peers.TryRemove(id, out var peer)) pending.Add(peer.DisposeAsync().AsTask());
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
        _inbound.Writer.TryComplete();
        Http.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    internal bool IsStopped => _stopping.IsCancellationRequested;

    internal void NotifyUnreachable(ulong peerId)
    {
        if (_stopping.IsCancellationRequested) return;
        Traffic.OnFailure(peerId);
        _reportUnreachable?.Invoke(peerId);
    }

    internal void NotifySnapshot(ulong peerId, bool delivered) => _reportSnapshot?.Invoke(peerId, delivered);

    /// <summary>An HTTP/2-only POST to <paramref name="path"/> on the peer, carrying our identity headers.</summary>
    internal HttpRequestMessage CreateRequest(Uri peerUrl, string path, ulong peerId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(peerUrl, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Add(PeerHeaders.ClusterId, PeerHeaders.FormatId(ClusterId));
        request.Headers.Add(PeerHeaders.From, PeerHeaders.FormatId(MemberId));
        request.Headers.Add(PeerHeaders.To, PeerHeaders.FormatId(peerId));
        return request;
    }

    /// <summary>Turns a 412 answer into the sentence an operator needs.</summary>
    internal async Task<string> DescribeRefusalAsync(ulong peerId, Uri url, HttpResponseMessage response, CancellationToken token)
    {
        var detail = "";
        try
        {
            detail = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
        }
        catch (Exception) when (!token.IsCancellationRequested)
        {
        }
        var theirCluster = HeaderId(response, PeerHeaders.ClusterId);
        var theirMember = HeaderId(response, PeerHeaders.From);
        if (theirCluster is { } cluster && cluster != ClusterId)
            return $"peer {PeerHeaders.FormatId(peerId)} belongs to another cluster (its cluster id {PeerHeaders.FormatId(cluster)}, ours {PeerHeaders.FormatId(ClusterId)})";
        if (theirMember is { } member && member != peerId)
            return $"the member at {url} is {PeerHeaders.FormatId(member)}, not peer {PeerHeaders.FormatId(peerId)}";
        return $"peer {PeerHeaders.FormatId(peerId)} refused the request: {detail}";
    }

    private static ulong? HeaderId(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && PeerHeaders.TryParseId(values.FirstOrDefault(), out var id) ? id : null;
}
