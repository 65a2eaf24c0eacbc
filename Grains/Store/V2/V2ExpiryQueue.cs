namespace Coordinator.Grains.Store.V2;

/// <summary>Nodes with a TTL ordered by (expiration, path): the earliest first, ties broken by path so
/// that every member expires in the same order. Owned by the store, touched under its lock.</summary>
internal sealed class V2ExpiryQueue
{
    private readonly SortedSet<(long Expiration, string Path)> _queue = new();
    private readonly Dictionary<string, V2Node> _nodes = new(StringComparer.Ordinal);

    public int Count => _queue.Count;

    public void Add(V2Node node)
    {
        if (node.IsPermanent) return;
        _queue.Add((node.Expiration, node.Path));
        _nodes[node.Path] = node;
    }

    public void Remove(V2Node node)
    {
        if (node.IsPermanent) return;
        if (_nodes.TryGetValue(node.Path, out var queued) && ReferenceEquals(queued, node))
        {
            _queue.Remove((node.Expiration, node.Path));
            _nodes.Remove(node.Path);
        }
    }

    /// <summary>The node expiring first, or null.</summary>
    public V2Node? Peek() => _queue.Count == 0 ? null : _nodes[_queue.Min.Path];

    public void Clear()
    {
        _queue.Clear();
        _nodes.Clear();
    }
}
