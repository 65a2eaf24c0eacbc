namespace Coordinator.Grains.Store.V2;

public sealed partial class V2Store
{
    /// <summary>A copy of the whole state at this moment (call on the apply thread); encode it anywhere.</summary>
    public V2StoreSnapshot.Image Capture() => Read(() =>
    {
        var nodes = new List<V2StoreSnapshot.NodeImage>();
        var stack = new Stack<V2Node>();
        foreach (var child in _root.Children!.Values.Reverse()) stack.Push(child);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            nodes.Add(new V2StoreSnapshot.NodeImage(node.Path, node.CreatedIndex, node.ModifiedIndex, node.Expiration, node.IsDir ? null : node.Value));
            if (node.IsDir) foreach (var child in node.Children!.Values.Reverse()) stack.Push(child);
        }
        return new V2StoreSnapshot.Image(new V2StoreSnapshot.Body(_index, nodes, _history.Events.ToList(), WriteCounters()));
    });

    /// <summary>Replaces the whole state with a snapshot section; an empty stream (a snapshot from before the v2
    /// store) leaves an empty store. On a damaged section the state is untouched and InvalidDataException is thrown.</summary>
    public void Restore(Stream source)
    {
        var body = V2StoreSnapshot.Read(source);
        var root = NewRoot();
        var expiring = new List<V2Node>();
        if (body is not null)
        {
            var byPath = new Dictionary<string, V2Node>(StringComparer.Ordinal) { ["/"] = root };
            foreach (var image in body.Nodes)
            {
                if (image.Path != V2Path.Clean(image.Path) || image.Path == "/" ||
                    !byPath.TryGetValue(V2Path.Parent(image.Path), out var parent) || !parent.IsDir)
                    throw new InvalidDataException($"v2 store snapshot: node {image.Path} out of order");
                var node = new V2Node(image.Path, image.CreatedIndex, parent, image.Expiration, image.Value) { ModifiedIndex = image.ModifiedIndex };
                parent.Children![node.Name] = node;
                byPath[node.Path] = node;
                if (!node.IsPermanent) expiring.Add(node);
            }
        }
        Write(() =>
        {
            _root = root;
            _index = body?.Index ?? 0;
            _expiry.Clear();
            foreach (var node in expiring) _expiry.Add(node);
            _history.Clear();
            foreach (var e in body?.History ?? []) _history.Add(e);
            if (body is not null) LoadWriteCounters(body.Stats);
            return 0;
        });
    }

    private long[] WriteCounters() => Stats.ToArray();

    private void LoadWriteCounters(long[] values) => Stats.Load(values);
}
