namespace Coordinator.Recipes;

/// <summary>A held <see cref="DistributedLock"/>. Dispose (or <see cref="ReleaseAsync"/>) to release: deletes the
/// key and, when the handle created its own session, revokes the lease. Releasing twice is harmless.</summary>
public sealed class DistributedLockHandle : IAsyncDisposable
{
    private readonly SessionLease _session;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenRegistration _onSessionLost;
    private readonly CancellationTokenSource? _maxHold;
    private readonly CancellationToken _lostToken;
    private int _released;

    internal DistributedLockHandle(SessionLease session, string key, long fencingToken, TimeSpan? maxHoldTime)
    {
        _session = session;
        Key = key;
        FencingToken = fencingToken;
        _lostToken = _lost.Token;
        _onSessionLost = session.Session.LostToken.Register(() => _lost.Cancel());
        if (maxHoldTime is { } hold)
        {
            _maxHold = new CancellationTokenSource(hold);
            _maxHold.Token.Register(() =>
            {
                _lost.Cancel();
                _ = ReleaseAsync();
            });
        }
    }

    /// <summary>The lock key, <c>name/&lt;lease id hex&gt;</c>.</summary>
    public string Key { get; }

    /// <summary>The lock key's create revision. Strictly increasing over successive holders of one lock (every
    /// acquisition creates a new key after the previous holder's was deleted), so a resource can reject writes
    /// carrying a token lower than one it already saw.</summary>
    public long FencingToken { get; }

    public long LeaseId => _session.LeaseId;

    /// <summary>Fires when the lock is lost without being released: the session lease expired or was revoked
    /// (the server then deleted the key and another contender may hold the lock), or MaxHoldTime elapsed.</summary>
    public CancellationToken HandleLostToken => _lostToken;

    public bool IsReleased => Volatile.Read(ref _released) != 0;

    public async Task ReleaseAsync(CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        await _onSessionLost.DisposeAsync().ConfigureAwait(false);
        _maxHold?.Dispose();
        await _session.LeaveAsync(Key, ct).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await ReleaseAsync().ConfigureAwait(false);
}
