using Coordinator.Client;

namespace Coordinator.Recipes;

/// <summary>Leadership won by <see cref="Election.CampaignAsync"/>. <see cref="LostToken"/> fires when this
/// candidate stops leading for any reason: its session lease is lost, its key was deleted by someone else, or it
/// resigned. Disposing resigns.</summary>
public sealed class Leadership : IAsyncDisposable
{
    private readonly Election _election;
    private readonly SessionLease _session;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationToken _lostToken;
    private readonly CancellationTokenRegistration _onSessionLost;
    private readonly Task _keyWatch;
    private int _resigned;

    internal Leadership(Election election, SessionLease session, string key, long revision, string value)
    {
        _election = election;
        _session = session;
        Key = key;
        Revision = revision;
        Value = value;
        _lostToken = _lost.Token;
        _onSessionLost = session.Session.LostToken.Register(() => _lost.Cancel());
        _keyWatch = WatchOwnKeyAsync(session.Session.Client);
    }

    /// <summary>The leader key, <c>name/&lt;lease id hex&gt;</c>.</summary>
    public string Key { get; }

    /// <summary>The leader key's create revision: increases with every new leader term.</summary>
    public long Revision { get; }

    /// <summary>The value last proclaimed by this leader.</summary>
    public string Value { get; private set; }

    public long LeaseId => _session.LeaseId;

    public CancellationToken LostToken => _lostToken;

    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary>Replaces the leader's value. Throws <see cref="SessionExpiredException"/> when no longer leading.</summary>
    public async Task ProclaimAsync(string value, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (IsLost || !await _election.PutIfOursAsync(Key, Revision, value, _session.LeaseId, ct).ConfigureAwait(false))
            throw new SessionExpiredException($"{Key} no longer leads {_election.Name}");
        Value = value;
    }

    /// <summary>Deletes the leader key (the next candidate takes over) and ends an owned session. Idempotent.</summary>
    public async Task ResignAsync(CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _resigned, 1) != 0) return;
        _election.Forget(this);
        await _onSessionLost.DisposeAsync().ConfigureAwait(false);
        await _lost.CancelAsync().ConfigureAwait(false);
        try { await _keyWatch.ConfigureAwait(false); } catch (OperationCanceledException) { }
        // Only our own key: a Txn guarded by the create revision, so a later campaign's key is never deleted.
        try
        {
            await _session.Session.Client.Txn()
                .If(Compare.CreateRevision(Key) == Revision)
                .Then(Op.Delete(Key))
                .CommitAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            if (_session.Owned) await _session.Session.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync() => await ResignAsync().ConfigureAwait(false);

    /// <summary>Leadership also ends when someone deletes our key (e.g. <c>etcdctl del</c>).</summary>
    private async Task WatchOwnKeyAsync(CoordinatorClient client)
    {
        // From the key's creation on, so a delete that happened before this watch started is seen too.
        var from = Revision;
        try
        {
            while (true)
            {
                try
                {
                    await WaitingLine.WaitForDeleteAsync(client, Key, from, _lostToken).ConfigureAwait(false);
                    break;
                }
                catch (WatchCompactedException)
                {
                    // History before the compaction is gone: the key itself tells whether we still lead.
                    var now = await client.GetRangeAsync(Key, null, _lostToken).ConfigureAwait(false);
                    if (now.Kvs.Count == 0 || now.Kvs[0].CreateRevision != Revision) break;
                    from = now.Header.Revision + 1;
                }
            }
            _lost.Cancel();
        }
        catch (OperationCanceledException)
        {
        }
        catch (CoordinatorException)
        {
            _lost.Cancel(); // cannot tell any more: assume the worst
        }
    }
}
