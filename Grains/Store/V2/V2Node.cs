namespace Coordinator.Grains.Store.V2;

/// <summary>
/// A file or directory of the v2 tree. Owned by <see cref="V2Store"/> and touched only under its lock.
/// Invariants: a directory has <see cref="Children"/> (never null) and no value; a file has no children;
/// <see cref="Expiration"/> is 0 for permanent nodes, else the node is in the store's expiry queue.
/// </summary>
internal sealed class V2Node
{
    public V2Node(string path, ulong createdIndex, V2Node? parent, long expiration, string? value)
    {
        Path = path;
        CreatedIndex = ModifiedIndex = createdIndex;
        Parent = parent;
        Expiration = expiration;
        if (value is null) Children = new SortedDictionary<string, V2Node>(StringComparer.Ordinal);
        else Value = value;
    }

    public string Path { get; }
    public ulong CreatedIndex { get; set; }
    public ulong ModifiedIndex { get; set; }
    public V2Node? Parent { get; set; }
    public long Expiration { get; set; }
    public string Value { get; set; } = "";
    /// <summary>Ordered by name, so listings and removals happen in one deterministic order.</summary>
    public SortedDictionary<string, V2Node>? Children { get; }

    public bool IsDir => Children is not null;
    public bool IsPermanent => Expiration == 0;
    public string Name => Path[(Path.LastIndexOf('/') + 1)..];
    /// <summary>Hidden nodes (name starting with '_') are not listed by gets.</summary>
    public bool IsHidden => Name.Length > 0 && Name[0] == '_';

    /// <summary>The client view; <paramref name="recursive"/> lists the whole subtree, otherwise only itself.</summary>
    public V2NodeView View(bool recursive, bool sorted)
    {
        if (!IsDir)
            return new V2NodeView { Key = Path, Value = Value, Expiration = ExpirationOrNull, ModifiedIndex = ModifiedIndex, CreatedIndex = CreatedIndex };
        return new V2NodeView
        {
            Key = KeyOf(Path), Dir = true, Expiration = ExpirationOrNull, ModifiedIndex = ModifiedIndex, CreatedIndex = CreatedIndex,
            Nodes = recursive ? ListChildren(recursive, sorted) : null,
        };
    }

    /// <summary>What a get returns for this node: a directory lists its visible children (recursively if asked).</summary>
    public V2NodeView Listing(bool recursive, bool sorted)
    {
        if (!IsDir) return View(false, false);
        return new V2NodeView
        {
            Key = KeyOf(Path), Dir = true, Expiration = ExpirationOrNull, ModifiedIndex = ModifiedIndex, CreatedIndex = CreatedIndex,
            Nodes = ListChildren(recursive, sorted),
        };
    }

    /// <summary>Recursive: depth is bounded by the key path, which the request line bounds (8 KiB: ~4,000 levels).</summary>
    private List<V2NodeView> ListChildren(bool recursive, bool sorted)
    {
        var list = new List<V2NodeView>(Children!.Count);
        foreach (var child in Children.Values)
            if (!child.IsHidden) list.Add(child.View(recursive, sorted));
        return list; // children are kept in name order: sorted or not, the order is deterministic
    }

    private long? ExpirationOrNull => IsPermanent ? null : Expiration;

    /// <summary>The root is shown without a key, as etcd shows its key-space root.</summary>
    public static string KeyOf(string path) => path == "/" ? "" : path;
}
