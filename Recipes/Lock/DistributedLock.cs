using Coordinator.Client;

namespace Coordinator.Recipes;

/// <summary>A mutex in etcd's concurrency layout, so it excludes <c>etcdctl lock name</c> and Go's
/// concurrency.Mutex: each contender holds a session lease and the key <c>name/&lt;lease id in hex&gt;</c>;
/// the contender whose key has the lowest create revision holds the lock, the others each watch the key just
/// ahead of theirs for its deletion. Fair (FIFO) and without polling.
/// <code>await using var handle = await new DistributedLock(client, "jobs").AcquireAsync();</code></summary>
public sealed class DistributedLock
{
    private readonly CoordinatorClient _client;
    private readonly DistributedLockOptions _options;

    public DistributedLock(CoordinatorClient client, string name, DistributedLockOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(name);
        _client = client;
        _options = options ?? new DistributedLockOptions();
        Name = name;
    }

    public string Name { get; }

    /// <summary>Contenders' keys live under this prefix (etcd: <c>pfx + "/"</c>).</summary>
    public string Prefix => Name + "/";

    /// <summary>Waits for the lock, at most <paramref name="timeout"/> (null = forever); throws
    /// <see cref="TimeoutException"/> when it runs out.</summary>
    public async Task<DistributedLockHandle> AcquireAsync(TimeSpan? timeout = null, CancellationToken ct = default) =>
        await TryAcquireAsync(timeout ?? Timeout.InfiniteTimeSpan, ct).ConfigureAwait(false)
        ?? throw new TimeoutException($"lock {Name} not acquired within {timeout}");

    /// <summary>Waits for the lock at most <paramref name="timeout"/> (zero = only if free now); null when it ran out.
    /// The timeout bounds the waiting, not the few calls that join and leave the line.</summary>
    public Task<DistributedLockHandle?> TryAcquireAsync(TimeSpan timeout = default, CancellationToken ct = default) =>
        LineAcquirer.TryAcquireAsync(_client, _options, Prefix, lease => Prefix + WaitingLine.LeaseSuffix(lease),
            allowedAhead: 0, blocks: null, timeout, ct);
}
