using System.Runtime.CompilerServices;
using Coordinator.Client;

namespace Coordinator.Recipes;

/// <summary>Leader election in etcd's layout (interoperable with <c>etcdctl elect</c> and Go's
/// concurrency.Election): every candidate puts <c>name/&lt;lease id hex&gt;</c> = its value under its session
/// lease; the candidate with the lowest create revision is the leader, and the leader's value is the value of
/// that key. Candidates wait like lock contenders (watching the key just ahead for its deletion).</summary>
public sealed class Election
{
    private readonly CoordinatorClient _client;
    private readonly ElectionOptions _options;
    private Leadership? _current;

    public Election(CoordinatorClient client, string name, ElectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(name);
        _client = client;
        _options = options ?? new ElectionOptions();
        Name = name;
    }

    public string Name { get; }

    public string Prefix => Name + "/";

    /// <summary>The leadership won by the last <see cref="CampaignAsync"/> of this instance, while it lasts.</summary>
    public Leadership? Current => _current is { IsLost: false } current ? current : null;

    /// <summary>Becomes a candidate with <paramref name="value"/> and returns once this candidate leads.
    /// Cancelling withdraws the candidacy (its key is deleted).</summary>
    public async Task<Leadership> CampaignAsync(string value, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        var session = await SessionLease.ObtainAsync(_client, _options.Session, _options.TimeToLive, ct).ConfigureAwait(false);
        var key = Prefix + WaitingLine.LeaseSuffix(session.LeaseId);
        var joined = false;
        try
        {
            var revision = await WaitingLine.JoinAsync(_client, key, value, session.LeaseId, ct).ConfigureAwait(false);
            joined = true;
            // A shared session may have campaigned before with another value: proclaim ours (etcd does the same).
            await PutIfOursAsync(key, revision, value, session.LeaseId, ct).ConfigureAwait(false);
            using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct, session.Session.LostToken))
            {
                try
                {
                    await WaitingLine.WaitForTurnAsync(_client, Prefix, key, revision, allowedAhead: 0, blocks: null, waiting.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new SessionExpiredException($"session lease of {key} lost while campaigning in {Name}");
                }
            }
            var leadership = new Leadership(this, session, key, revision, value);
            _current = leadership;
            return leadership;
        }
        catch
        {
            if (joined) await session.LeaveAsync(key, CancellationToken.None).ConfigureAwait(false);
            else if (session.Owned) await session.Session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Changes the current leader's value without an election (this instance must lead).</summary>
    public Task ProclaimAsync(string value, CancellationToken ct = default) =>
        (Current ?? throw new InvalidOperationException($"not the leader of {Name}")).ProclaimAsync(value, ct);

    /// <summary>Gives up leadership held by this instance (no-op when not leading).</summary>
    public Task ResignAsync(CancellationToken ct = default) => _current?.ResignAsync(ct) ?? Task.CompletedTask;

    /// <summary>The current leader's value, or null when nobody leads.</summary>
    public async Task<string?> LeaderAsync(CancellationToken ct = default) =>
        (await WaitingLine.FirstAsync(_client, Prefix, ct).ConfigureAwait(false)).First?.Value.ToStringUtf8();

    /// <summary>The leader's value now (when someone leads) and each time it changes: a new leader or a
    /// proclamation. Consecutive duplicates are not repeated. Runs until <paramref name="ct"/> is cancelled.</summary>
    public async IAsyncEnumerable<string> ObserveAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        string? last = null;
        while (true)
        {
            var (leader, revision) = await WaitingLine.FirstAsync(_client, Prefix, ct).ConfigureAwait(false);
            if (leader is null)
            {
                await WaitingLine.WaitForPutAsync(_client, KeyRange.Prefix(Prefix), revision + 1, ct).ConfigureAwait(false);
                continue;
            }
            var value = leader.Value.ToStringUtf8();
            if (value != last) yield return last = value;
            // Follow the leader's key: puts are proclamations, its delete ends this leader's term.
            await foreach (var e in _client.WatchAsync(KeyRange.Single(leader.Key.ToByteArray()), revision + 1, prevKv: false, ct).ConfigureAwait(false))
            {
                if (e.Type == WatchEventType.Delete) break;
                if (e.Value != last) yield return last = e.Value;
            }
        }
    }

    /// <summary>Puts <paramref name="value"/> into <paramref name="key"/> if it is still the key created at
    /// <paramref name="revision"/>; false when it is gone (leadership lost).</summary>
    internal async Task<bool> PutIfOursAsync(string key, long revision, string value, long lease, CancellationToken ct)
    {
        var txn = await _client.Txn()
            .If(Compare.CreateRevision(key) == revision)
            .Then(Op.Put(key, value, lease))
            .CommitAsync(ct).ConfigureAwait(false);
        return txn.Succeeded;
    }

    internal void Forget(Leadership leadership) => Interlocked.CompareExchange(ref _current, null, leadership);
}
