using Coordinator.Client;

namespace Coordinator.Recipes;

/// <summary>A counting semaphore with <see cref="MaxCount"/> slots, in the lock's layout: each contender holds
/// <c>name/&lt;lease id hex&gt;</c>; a contender holds a slot while fewer than MaxCount keys are older than its
/// own. Waiters watch the prefix for deletes (any older key leaving may free a slot for them) and re-check.
/// Every participant must use the same MaxCount.</summary>
public sealed class DistributedSemaphore
{
    private readonly CoordinatorClient _client;
    private readonly DistributedLockOptions _options;

    public DistributedSemaphore(CoordinatorClient client, string name, int maxCount, DistributedLockOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        _client = client;
        _options = options ?? new DistributedLockOptions();
        Name = name;
        MaxCount = maxCount;
    }

    public string Name { get; }

    public int MaxCount { get; }

    public string Prefix => Name + "/";

    /// <summary>Waits for a slot, at most <paramref name="timeout"/> (null = forever); throws <see cref="TimeoutException"/>.</summary>
    public async Task<DistributedLockHandle> AcquireAsync(TimeSpan? timeout = null, CancellationToken ct = default) =>
        await TryAcquireAsync(timeout ?? Timeout.InfiniteTimeSpan, ct).ConfigureAwait(false)
        ?? throw new TimeoutException($"semaphore {Name} not acquired within {timeout}");

    /// <summary>Null when no slot was free within <paramref name="timeout"/>.</summary>
    public Task<DistributedLockHandle?> TryAcquireAsync(TimeSpan timeout = default, CancellationToken ct = default) =>
        LineAcquirer.TryAcquireAsync(_client, _options, Prefix, lease => Prefix + WaitingLine.LeaseSuffix(lease),
            allowedAhead: MaxCount - 1, blocks: null, timeout, ct);
}
