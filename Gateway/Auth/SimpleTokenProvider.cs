using System.Collections.Concurrent;
using Coordinator.Grains.Store.Auth;

namespace Coordinator.Gateway.Auth;

/// <summary>
/// etcd's simple tokens: "&lt;16 random letters&gt;.&lt;raft index of the login&gt;", made known to every member when the login
/// entry is applied (<see cref="IAuthObserver.TokenIssued"/>). Each member keeps its own expiry, renewed on every use
/// (sliding), by its own clock. A token names the user at the store's current revision (as etcd's). Thread-safe.
/// </summary>
public sealed class SimpleTokenProvider : ITokenProvider, IAuthObserver
{
    private readonly ConcurrentDictionary<string, Entry> _tokens = new(StringComparer.Ordinal);
    private readonly ICoordinatorNode _node;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _ttl;
    private long _lastSweep;

    public SimpleTokenProvider(ICoordinatorNode node, AuthOptions options, TimeProvider? clock = null)
    {
        _node = node;
        _ttl = options.TokenTtl;
        _clock = clock ?? TimeProvider.System;
        node.Store.Auth.Observe(this);
    }

    private sealed class Entry(string user, long expiresAt)
    {
        public string User { get; } = user;
        public long ExpiresAt = expiresAt; // clock ticks; renewed on use
    }

    public async ValueTask<TokenInfo?> ResolveAsync(string token, CancellationToken cancellationToken)
    {
        var dot = token.IndexOf('.');
        if (dot < 0 || token.IndexOf('.', dot + 1) >= 0 || !ulong.TryParse(token.AsSpan(dot + 1), out var index)) return null;
        // A token made by a login this member has not applied yet (the client switched members): catch up first.
        if (index > _node.Store.AppliedIndex && !_tokens.ContainsKey(token)) await _node.ReadBarrierAsync(cancellationToken);
        if (!_tokens.TryGetValue(token, out var entry)) return null;
        var now = _clock.GetTimestamp();
        if (now >= Volatile.Read(ref entry.ExpiresAt))
        {
            _tokens.TryRemove(token, out _);
            return null;
        }
        Volatile.Write(ref entry.ExpiresAt, now + TtlTicks);
        return new TokenInfo(entry.User, _node.Store.Auth.Revision);
    }

    public string Issue(string user, ulong revision, string appliedToken) => appliedToken;

    private long TtlTicks => (long)(_ttl.TotalSeconds * _clock.TimestampFrequency);

    public void TokenIssued(string token, string user)
    {
        var now = _clock.GetTimestamp();
        _tokens[token] = new Entry(user, now + TtlTicks);
        // Expired tokens nobody uses again are dropped here, at most once per ttl.
        if (now - Interlocked.Read(ref _lastSweep) > TtlTicks)
        {
            Interlocked.Exchange(ref _lastSweep, now);
            foreach (var (key, entry) in _tokens)
                if (now >= Volatile.Read(ref entry.ExpiresAt)) _tokens.TryRemove(key, out _);
        }
    }

    public void UserInvalidated(string user)
    {
        foreach (var (key, entry) in _tokens)
            if (entry.User == user) _tokens.TryRemove(key, out _);
    }

    public void AllInvalidated() => _tokens.Clear();

    /// <summary>The random part of a new token (etcd: 16 letters from crypto/rand).</summary>
    public static string NewPrefix() =>
        System.Security.Cryptography.RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 16);
}
