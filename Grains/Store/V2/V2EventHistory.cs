namespace Coordinator.Grains.Store.V2;

/// <summary>
/// The last <see cref="Capacity"/> events (etcd keeps 1,000), for watches that start at an older index.
/// Part of the deterministic state (it is in snapshots). Touched under the store's lock.
/// Invariant: events are in index order.
/// </summary>
internal sealed class V2EventHistory(int capacity = V2EventHistory.DefaultCapacity)
{
    public const int DefaultCapacity = 1000;
    private readonly Queue<V2Event> _events = new(capacity);

    public int Capacity { get; } = capacity;

    /// <summary>Index of the oldest event kept (0 when empty).</summary>
    public ulong StartIndex => _events.Count == 0 ? 0 : _events.Peek().Index;

    public IEnumerable<V2Event> Events => _events;

    public void Add(V2Event e)
    {
        if (_events.Count == Capacity) _events.Dequeue();
        _events.Enqueue(e with { DeletedPaths = [] });
    }

    /// <summary>
    /// The first event at or after <paramref name="index"/> and at or before <paramref name="upTo"/> that a watch
    /// of <paramref name="key"/> would see (etcd's EventHistory.scan); null if none. Refresh events are skipped.
    /// Throws 401 when <paramref name="index"/> is older than the history.
    /// </summary>
    public V2Event? Scan(string key, bool recursive, ulong index, ulong upTo, ulong storeIndex)
    {
        var start = StartIndex;
        if (index < start)
            throw new V2Error(V2ErrorCode.EventIndexCleared, $"the requested history has been cleared [{start}/{index}]", storeIndex);
        var prefix = key.EndsWith('/') ? key : key + "/";
        foreach (var e in _events)
        {
            if (e.Index < index) continue;
            if (e.Index > upTo) return null;
            if (e.Refresh) continue;
            var ok = e.Node.Key == key || (recursive && e.Node.Key.StartsWith(prefix, StringComparison.Ordinal));
            if ((e.Action == V2Actions.Delete || e.Action == V2Actions.Expire) && e.PrevNode is { Dir: true } prev)
                ok = ok || key.StartsWith(prev.Key, StringComparison.Ordinal);
            if (ok) return e;
        }
        return null;
    }

    public void Clear() => _events.Clear();
}
