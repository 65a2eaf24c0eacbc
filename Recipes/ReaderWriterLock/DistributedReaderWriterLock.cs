using Coordinator.Client;

namespace Coordinator.Recipes;

/// <summary>A fair reader-writer lock (etcd's recipes.RWMutex layout): readers hold <c>name/read/&lt;lease&gt;</c>,
/// writers <c>name/write/&lt;lease&gt;</c>, all ordered by create revision. A writer holds the lock once no
/// older key of either kind exists; a reader once no older writer key exists (readers share). Later readers
/// queue behind a waiting writer, so writers do not starve.</summary>
public sealed class DistributedReaderWriterLock
{
    private readonly CoordinatorClient _client;
    private readonly DistributedLockOptions _options;

    public DistributedReaderWriterLock(CoordinatorClient client, string name, DistributedLockOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(name);
        _client = client;
        _options = options ?? new DistributedLockOptions();
        Name = name;
    }

    public string Name { get; }

    public string Prefix => Name + "/";

    private string WriterPrefix => Prefix + "write/";

    private string ReaderPrefix => Prefix + "read/";

    public async Task<DistributedLockHandle> AcquireReadLockAsync(TimeSpan? timeout = null, CancellationToken ct = default) =>
        await TryAcquireReadLockAsync(timeout ?? Timeout.InfiniteTimeSpan, ct).ConfigureAwait(false)
        ?? throw new TimeoutException($"read lock {Name} not acquired within {timeout}");

    public async Task<DistributedLockHandle> AcquireWriteLockAsync(TimeSpan? timeout = null, CancellationToken ct = default) =>
        await TryAcquireWriteLockAsync(timeout ?? Timeout.InfiniteTimeSpan, ct).ConfigureAwait(false)
        ?? throw new TimeoutException($"write lock {Name} not acquired within {timeout}");

    /// <summary>Waits only for older writers (the reader watches the newest of them for its deletion).</summary>
    public Task<DistributedLockHandle?> TryAcquireReadLockAsync(TimeSpan timeout = default, CancellationToken ct = default)
    {
        var writers = WriterPrefix;
        return LineAcquirer.TryAcquireAsync(_client, _options, Prefix, lease => ReaderPrefix + WaitingLine.LeaseSuffix(lease),
            allowedAhead: 0, blocks: kv => kv.Key.ToStringUtf8().StartsWith(writers, StringComparison.Ordinal), timeout, ct);
    }

    /// <summary>Waits for every older key, readers and writers.</summary>
    public Task<DistributedLockHandle?> TryAcquireWriteLockAsync(TimeSpan timeout = default, CancellationToken ct = default) =>
        LineAcquirer.TryAcquireAsync(_client, _options, Prefix, lease => WriterPrefix + WaitingLine.LeaseSuffix(lease),
            allowedAhead: 0, blocks: null, timeout, ct);
}
