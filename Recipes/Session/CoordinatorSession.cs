using Coordinator.Client;

namespace Coordinator.Recipes;

/// <summary>A lease kept alive for as long as its owner lives: etcd's concurrency.Session. Keys a recipe creates
/// are attached to it, so they vanish when the process dies (after the TTL) or the session is disposed (at once:
/// disposing revokes the lease). One session can be shared by many recipes; <see cref="LostToken"/> fires when
/// the lease is gone (expired, revoked, or not renewable before its TTL ran out).</summary>
public sealed class CoordinatorSession : IAsyncDisposable
{
    /// <summary>etcd's default session TTL.</summary>
    public static readonly TimeSpan DefaultTimeToLive = TimeSpan.FromSeconds(60);

    private readonly CoordinatorClient _client;
    private readonly LeaseKeeper _keeper;
    private int _disposed;

    private CoordinatorSession(CoordinatorClient client, LeaseKeeper keeper)
    {
        _client = client;
        _keeper = keeper;
    }

    /// <summary>Grants a lease of <paramref name="timeToLive"/> (whole seconds, at least 1) and starts keeping it alive.</summary>
    public static async Task<CoordinatorSession> CreateAsync(CoordinatorClient client, TimeSpan? timeToLive = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var ttl = Math.Max(1, (long)Math.Ceiling((timeToLive ?? DefaultTimeToLive).TotalSeconds));
        var keeper = await client.GrantAndKeepAliveAsync(ttl, ct).ConfigureAwait(false);
        return new CoordinatorSession(client, keeper);
    }

    public CoordinatorClient Client => _client;

    public long LeaseId => _keeper.LeaseId;

    /// <summary>Fires once the lease is gone; keys attached to it are then deleted by the server.</summary>
    public CancellationToken LostToken => _keeper.LostToken;

    public bool IsLost => _keeper.IsLost;

    /// <summary>Stops renewing and revokes the lease (best effort: if the revoke fails the lease expires by itself),
    /// deleting every key attached to it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _keeper.DisposeAsync().ConfigureAwait(false);
        if (_keeper.IsLost) return;
        try
        {
            using var timeout = new CancellationTokenSource(_client.Options.RequestTimeout);
            await _client.RevokeAsync(LeaseId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CoordinatorException or OperationCanceledException or ObjectDisposedException)
        {
            // The lease expires after its TTL anyway.
        }
    }
}
