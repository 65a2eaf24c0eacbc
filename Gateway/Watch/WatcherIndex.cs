namespace Coordinator.Gateway.Watch;

/// <summary>
/// Finds the watches interested in a key without visiting every watch: single-key watches by exact key,
/// prefix watches by each prefix of the key (one lookup per key length), and only the remaining intervals
/// and from-key watches, expected to be few, by a scan. Guarded by the hub's lock.
/// </summary>
internal sealed class WatcherIndex
{
    private readonly Dictionary<byte[], HashSet<Watcher>> _byKey = new(KeyBytesComparer.Instance);
    private readonly Dictionary<byte[], HashSet<Watcher>> _byPrefix = new(KeyBytesComparer.Instance);
    private readonly HashSet<Watcher> _scanned = [];
    private int _longestPrefix;

    public int Count { get; private set; }

    public void Add(Watcher watcher)
    {
        switch (watcher.Range.Kind)
        {
            case WatchKeyRange.Shape.Single:
                AddTo(_byKey, watcher);
                break;
            case WatchKeyRange.Shape.Prefix:
                AddTo(_byPrefix, watcher);
                _longestPrefix = Math.Max(_longestPrefix, watcher.Range.Key.Length);
                break;
            default:
                _scanned.Add(watcher);
                break;
        }
        Count++;
    }

    public void Remove(Watcher watcher)
    {
        var removed = watcher.Range.Kind switch
        {
            WatchKeyRange.Shape.Single => RemoveFrom(_byKey, watcher),
            WatchKeyRange.Shape.Prefix => RemoveFrom(_byPrefix, watcher),
            _ => _scanned.Remove(watcher),
        };
        if (removed) Count--;
    }

    /// <summary>Appends every watch whose range contains <paramref name="key"/> to <paramref name="into"/>.</summary>
    public void CollectMatches(ReadOnlySpan<byte> key, List<Watcher> into)
    {
        if (_byKey.Count > 0 && _byKey.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(key, out var exact))
            into.AddRange(exact);

        if (_byPrefix.Count > 0)
        {
            var prefixes = _byPrefix.GetAlternateLookup<ReadOnlySpan<byte>>();
            var longest = Math.Min(key.Length, _longestPrefix);
            for (var length = 1; length <= longest; length++)
                if (prefixes.TryGetValue(key[..length], out var found)) into.AddRange(found);
        }

        foreach (var watcher in _scanned)
            if (watcher.Range.Contains(key)) into.Add(watcher);
    }

    private static void AddTo(Dictionary<byte[], HashSet<Watcher>> map, Watcher watcher)
    {
        if (!map.TryGetValue(watcher.Range.Key, out var set)) map[watcher.Range.Key] = set = [];
        set.Add(watcher);
    }

    private static bool RemoveFrom(Dictionary<byte[], HashSet<Watcher>> map, Watcher watcher)
    {
        if (!map.TryGetValue(watcher.Range.Key, out var set) || !set.Remove(watcher)) return false;
        if (set.Count == 0) map.Remove(watcher.Range.Key);
        return true;
    }
}
