using Coordinator.Client.Diagnostics;
using Coordinator.Client.Transport;
using Etcdserverpb;
using Grpc.Core;

namespace Coordinator.Client;

/// <summary>Keeps one lease alive: renews at TTL/3 on a LeaseKeepAlive stream, and after a failure retries on
/// other endpoints until the lease's TTL (counted from the last successful renewal's send time) runs out.
/// <see cref="LostToken"/> fires once the lease is gone: the server answered TTL 0 (expired or revoked) or no
/// renewal succeeded in time. Disposing stops renewing without firing <see cref="LostToken"/>.
/// Owns its stream; one background loop is the only reader and writer.</summary>
public sealed class LeaseKeeper : IAsyncDisposable
{
    private static readonly Metadata HasLeader = new() { { "hasleader", "true" } };

    private readonly CoordinatorClient _client;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop;
    private StreamCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse>? _call;
    private Task _loop = Task.CompletedTask;
    private long _expiresAt; // Environment.TickCount64 ms; the lease is certainly alive before this
    private long _ttlSeconds;

    internal LeaseKeeper(CoordinatorClient client, long leaseId)
    {
        _client = client;
        LeaseId = leaseId;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(client.DisposedToken);
    }

    public long LeaseId { get; }

    /// <summary>The TTL the server granted at the last renewal.</summary>
    public TimeSpan Ttl => TimeSpan.FromSeconds(Interlocked.Read(ref _ttlSeconds));

    /// <summary>Cancelled when the lease is lost (expired, revoked, or not renewable before its TTL ran out).</summary>
    public CancellationToken LostToken => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary>Why the lease was lost; null while it is held.</summary>
    public string? LostReason { get; private set; }

    internal async Task StartAsync(CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
        deadline.CancelAfter(_client.Options.RequestTimeout);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (await RenewOnceAsync(deadline.Token).ConfigureAwait(false) <= 0)
                    throw new CoordinatorException(StatusCode.NotFound, "etcdserver: requested lease not found");
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException && e is not CoordinatorException { StatusCode: StatusCode.NotFound })
            {
                var failure = CallFailure.Classify(e);
                await ResetStreamAsync(failure.Exception.Detail).ConfigureAwait(false);
                if (failure.Kind == FailureKind.Final || attempt >= _client.Options.Retry.MaxAttempts) throw failure.Exception;
                await Task.Delay(_client.Options.Retry.BackoffFor(attempt - 1), deadline.Token).ConfigureAwait(false);
            }
        }
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var failures = 0;
        try
        {
            while (true)
            {
                var ttlMs = Interlocked.Read(ref _ttlSeconds) * 1000;
                await Task.Delay(failures == 0 ? TimeSpan.FromMilliseconds(ttlMs / 3) : _client.Options.Retry.BackoffFor(failures), stop).ConfigureAwait(false);
                var remaining = _expiresAt - Environment.TickCount64;
                if (remaining <= 0)
                {
                    Lose("not renewed before its TTL ran out");
                    return;
                }
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop);
                attempt.CancelAfter(TimeSpan.FromMilliseconds(Math.Min(remaining, Math.Max(500, ttlMs / 3))));
                try
                {
                    if (await RenewOnceAsync(attempt.Token).ConfigureAwait(false) <= 0)
                    {
                        Lose("expired or revoked (server answered TTL 0)");
                        return;
                    }
                    failures = 0;
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    failures++;
                    var reason = e is OperationCanceledException ? "no answer in time" : CallFailure.Classify(e).Exception.Detail;
                    Log.KeepAliveFailed(_client.Logger, LeaseId, reason);
                    await ResetStreamAsync(reason).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Disposed: stop renewing.
        }
    }

    /// <summary>One request/response on the current stream (opened on the next healthy endpoint if needed).
    /// Returns the granted TTL in seconds; 0 or less means the lease no longer exists.</summary>
    private async Task<long> RenewOnceAsync(CancellationToken ct)
    {
        // etcd's keep-alive interceptor too: fail on a member without leader rather than wait there.
        _call ??= _client.Invoker.OpenStream<LeaseKeepAliveRequest, LeaseKeepAliveResponse>(
            "/etcdserverpb.Lease/LeaseKeepAlive", (c, o) => c.Lease.LeaseKeepAlive(o), HasLeader);
        var sentAt = Environment.TickCount64;
        await _call.SendAsync(new LeaseKeepAliveRequest { ID = LeaseId }, ct).ConfigureAwait(false);
        var response = await _call.ReadAsync(ct).ConfigureAwait(false)
            ?? throw new CoordinatorException(StatusCode.Unavailable, "keep-alive stream ended by the server");
        if (response.TTL > 0)
        {
            Interlocked.Exchange(ref _ttlSeconds, response.TTL);
            _expiresAt = sentAt + response.TTL * 1000;
        }
        return response.TTL;
    }

    private async ValueTask ResetStreamAsync(string reason)
    {
        if (_call is null) return;
        // The next renewal opens a new stream, on the next member the balancer picks.
        await _call.DisposeAsync().ConfigureAwait(false);
        _call = null;
    }

    private void Lose(string reason)
    {
        LostReason = reason;
        Log.LeaseLost(_client.Logger, LeaseId, reason);
        _lost.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync().ConfigureAwait(false);
        try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        if (_call is not null) await _call.DisposeAsync().ConfigureAwait(false);
        _call = null;
    }
}
