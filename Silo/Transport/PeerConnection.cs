using System.Net;
using System.Threading.Channels;
using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Transport;

/// <summary>
/// Everything outbound to one peer: a bounded message queue drained by one long-lived stream (reconnected with
/// backoff), and a separate snapshot queue sent on its own requests. Each peer has its own queues and tasks,
/// so a slow or dead peer never blocks another.
/// </summary>
internal sealed class PeerConnection : IAsyncDisposable
{
    private readonly PeerTransport _owner;
    private readonly Channel<Message> _messages;
    private readonly Channel<Message> _snapshots;
    // Held by the one MessageStreamContent currently reading _messages (see there).
    private readonly SemaphoreSlim _readerLease = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private CancellationTokenSource? _attempt;      // guarded by _gate
    private Uri _url;                               // guarded by _gate
    private bool _urlChanged;                       // guarded by _gate
    private Task _streamLoop = Task.CompletedTask;
    private Task _snapshotLoop = Task.CompletedTask;
    private int _overflowing;                       // 1 while the queue is known full; logs once per episode

    public PeerConnection(PeerTransport owner, ulong peerId, Uri url)
    {
        _owner = owner;
        PeerId = peerId;
        _url = url;
        _messages = Channel.CreateBounded<Message>(new BoundedChannelOptions(owner.Options.PeerQueueCapacity)
        {
            SingleReader = true, FullMode = BoundedChannelFullMode.Wait,
        });
        _snapshots = Channel.CreateBounded<Message>(new BoundedChannelOptions(owner.Options.SnapshotQueueCapacity)
        {
            SingleReader = true, FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ulong PeerId { get; }
    public PeerConnectionState State { get; private set; } = PeerConnectionState.Connecting;

    public Uri Url
    {
        get { lock (_gate) return _url; }
    }

    public void Start()
    {
        _streamLoop = Task.Run(RunStreamAsync);
        _snapshotLoop = Task.Run(RunSnapshotsAsync);
    }

    /// <summary>Queues a message without blocking; false when the queue is full (the message is dropped).</summary>
    public bool TryEnqueue(Message message)
    {
        var queue = message.Type == MessageType.InstallSnapshot ? _snapshots : _messages;
        if (queue.Writer.TryWrite(message)) return true;
        if (message.Type != MessageType.InstallSnapshot && Interlocked.Exchange(ref _overflowing, 1) == 0)
            TransportLog.QueueOverflow(_owner.Logger, PeerId);
        return false;
    }

    /// <summary>Points the stream at a new URL: the current stream is torn down and redialled at once.</summary>
    public void UpdateUrl(Uri url)
    {
        lock (_gate)
        {
            if (_url == url) return;
            _url = url;
            _urlChanged = true;
            _attempt?.Cancel();
        }
    }

    private async Task RunStreamAsync()
    {
        var backoff = new ReconnectBackoff(_owner.Options.ReconnectMinDelay, _owner.Options.ReconnectMaxDelay);
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            Uri url;
            lock (_gate)
            {
                _attempt = attempt;
                url = _url;
                _urlChanged = false;
            }

            var outcome = await RunOneStreamAsync(url, attempt.Token).ConfigureAwait(false);
            attempt.Cancel();
            lock (_gate) _attempt = null;
            if (stopping.IsCancellationRequested) break;

            bool urlChanged;
            lock (_gate) urlChanged = _urlChanged;
            if (outcome.WasConnected) backoff.Reset();
            if (outcome.Refused) SetState(PeerConnectionState.Refused, url, outcome.Reason);
            else SetState(PeerConnectionState.Disconnected, url, urlChanged ? "peer URL changed" : outcome.Reason);
            _owner.NotifyUnreachable(PeerId);
            if (urlChanged) continue;
            try
            {
                await Task.Delay(backoff.Next(), stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private readonly record struct StreamOutcome(bool WasConnected, bool Refused, string Reason);

    /// <summary>Dials one stream and holds it until it breaks, the peer ends it, or the attempt is cancelled.</summary>
    private async Task<StreamOutcome> RunOneStreamAsync(Uri url, CancellationToken token)
    {
        var content = new MessageStreamContent(_messages.Reader, _readerLease, _owner.Options, _owner.Statistics, token);
        var connected = false;
        try
        {
            using var request = _owner.CreateRequest(url, PeerRoutes.Stream, PeerId);
            request.Content = content;
            using var response = await _owner.Http
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.PreconditionFailed)
                return new(false, true, await _owner.DescribeRefusalAsync(PeerId, url, response, token).ConfigureAwait(false));
            if (!response.IsSuccessStatusCode)
                return new(false, false, $"HTTP {(int)response.StatusCode}");

            connected = true;
            Interlocked.Exchange(ref _overflowing, 0);
            SetState(PeerConnectionState.Connected, url, "");
            // The peer never writes a response body: EOF means it ended the stream (e.g. shutting down).
            var bodyEnded = DrainResponseAsync(response, token);
            var finished = await Task.WhenAny(bodyEnded, content.Ended).ConfigureAwait(false);
            await finished.ConfigureAwait(false);
            return new(true, false, finished == bodyEnded ? "peer closed the stream" : "request body ended");
        }
        catch (Exception e) when (!connected && FindTlsFailure(e) is { } tls)
        {
            // A certificate problem does not heal by retrying: reported as a refusal (logged once, see SetState).
            return new(false, true, "TLS handshake failed: " + tls.Message);
        }
        catch (Exception e)
        {
            return new(connected, false, DescribeFailure(e));
        }
    }

    private static System.Security.Authentication.AuthenticationException? FindTlsFailure(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is System.Security.Authentication.AuthenticationException tls)
                return tls.InnerException is System.Security.Authentication.AuthenticationException deeper ? deeper : tls;
        return null;
    }

    private static async Task DrainResponseAsync(HttpResponseMessage response, CancellationToken token)
    {
        await using var body = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
        var buffer = new byte[256];
        while (await body.ReadAsync(buffer, token).ConfigureAwait(false) > 0) { }
    }

    private static string DescribeFailure(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null && inner is HttpRequestException or IOException) inner = inner.InnerException;
        return inner == e ? e.Message : $"{e.Message} ({inner.Message})";
    }

    private void SetState(PeerConnectionState state, Uri url, string reason)
    {
        var previous = State;
        State = state;
        if (previous == state) return;
        switch (state)
        {
            case PeerConnectionState.Connected:
                TransportLog.PeerConnected(_owner.Logger, PeerId, url);
                break;
            case PeerConnectionState.Refused when reason.StartsWith("TLS", StringComparison.Ordinal):
                TransportLog.PeerTlsRefused(_owner.Logger, PeerId, url, reason);
                break;
            case PeerConnectionState.Refused:
                TransportLog.PeerRefused(_owner.Logger, PeerId, url, reason);
                break;
            case PeerConnectionState.Disconnected:
                TransportLog.PeerDisconnected(_owner.Logger, PeerId, url, reason);
                break;
        }
    }

    private async Task RunSnapshotsAsync()
    {
        var stopping = _stopping.Token;
        try
        {
            await foreach (var message in _snapshots.Reader.ReadAllAsync(stopping).ConfigureAwait(false))
                await SendSnapshotAsync(message, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        // Snapshots still queued at shutdown are reported as not delivered, so Raft does not wait on them.
        while (_snapshots.Reader.TryRead(out _)) _owner.NotifySnapshot(PeerId, false);
    }

    private async Task SendSnapshotAsync(Message message, CancellationToken token)
    {
        var url = Url;
        var metadata = message.Snapshot?.Metadata ?? SnapshotMetadata.Empty;
        string? failure;
        try
        {
            using var request = _owner.CreateRequest(url, PeerRoutes.Snapshot, PeerId);
            request.Content = new SnapshotContent(message, _owner.Options.SnapshotChunkBytes, _owner.Statistics);
            using var response = await _owner.Http.SendAsync(request, token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode) failure = null;
            else if (response.StatusCode == HttpStatusCode.PreconditionFailed)
                failure = await _owner.DescribeRefusalAsync(PeerId, url, response, token).ConfigureAwait(false);
            else failure = $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(token).ConfigureAwait(false)}";
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            failure = "transport stopping";
        }
        catch (Exception e)
        {
            failure = DescribeFailure(e);
        }

        if (failure is null)
        {
            TransportLog.SnapshotSent(_owner.Logger, PeerId, metadata.Term, metadata.Index, message.Snapshot?.Data.Length ?? 0);
            _owner.NotifySnapshot(PeerId, true);
        }
        else
        {
            TransportLog.SnapshotFailed(_owner.Logger, PeerId, metadata.Term, metadata.Index, failure);
            _owner.NotifySnapshot(PeerId, false);
            if (!token.IsCancellationRequested) _owner.NotifyUnreachable(PeerId);
        }
    }

    /// <summary>Stops both loops and waits for them; queued messages are dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        _messages.Writer.TryComplete();
        _snapshots.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_streamLoop, _snapshotLoop).ConfigureAwait(false);
        State = PeerConnectionState.Connecting;
        _stopping.Dispose();
    }
}
