using Coordinator.Protocol.Internal;

namespace Coordinator.Grains.Store.V2;

/// <summary>
/// etcd's v2 store: a tree of files and directories, each with createdIndex and modifiedIndex and an optional
/// expiration, its own index (X-Etcd-Index) and a history of the last 1,000 events. A deterministic state machine:
/// it never reads a clock (expirations come in the commands, expiry is a replicated <see cref="V2Sync"/> carrying
/// the leader's time). Writes come only through <see cref="Apply(V2Write)"/>/<see cref="ApplySync"/> (one caller,
/// in log order); reads may run concurrently.
/// </summary>
public sealed partial class V2Store
{
    /// <summary>Expirations before 2000-01-01 mean "permanent" (as etcd's minExpireTime).</summary>
    public const long MinExpiration = 946_684_800L * 1_000_000_000L;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private V2Node _root = NewRoot();
    private ulong _index;
    private readonly V2EventHistory _history = new();
    private readonly V2ExpiryQueue _expiry = new();

    public V2StoreStats Stats { get; } = new();

    /// <summary>The store's index: incremented by every change (X-Etcd-Index).</summary>
    public ulong CurrentIndex => Read(() => _index);

    /// <summary>True while some node has a TTL (the leader then proposes syncs).</summary>
    public bool HasTtlKeys => Read(() => _expiry.Count > 0);

    /// <summary>Index of the oldest event in the history (0 when empty).</summary>
    public ulong HistoryStartIndex => Read(() => _history.StartIndex);

    private static V2Node NewRoot() => new("/", 0, null, 0, null);

    private T Read<T>(Func<T> read)
    {
        _lock.EnterReadLock();
        try { return read(); }
        finally { _lock.ExitReadLock(); }
    }

    private T Write<T>(Func<T> write)
    {
        _lock.EnterWriteLock();
        try { return write(); }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Finds a node (etcd's internalGet): NotDir when a file is in the way, KeyNotFound when missing.</summary>
    private V2Node Find(string clean)
    {
        var node = _root;
        foreach (var name in V2Path.Elements(clean))
        {
            if (!node.IsDir) throw new V2Error(V2ErrorCode.NotDir, node.Path, _index);
            if (!node.Children!.TryGetValue(name, out var child))
                throw new V2Error(V2ErrorCode.KeyNotFound, V2Path.Join(node.Path, name), _index);
            node = child;
        }
        return node;
    }

    private V2Node? TryFind(string clean, out V2Error? error)
    {
        try
        {
            error = null;
            return Find(clean);
        }
        catch (V2Error e)
        {
            error = e;
            return null;
        }
    }
}
