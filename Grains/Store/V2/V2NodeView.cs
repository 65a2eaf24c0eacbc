namespace Coordinator.Grains.Store.V2;

/// <summary>
/// A node as clients see it (etcd's NodeExtern). Immutable. <see cref="Expiration"/> is absolute (Unix ns);
/// the remaining "ttl" is computed when the node is rendered, on the renderer's clock, because the store
/// itself never reads a clock.
/// </summary>
public sealed record V2NodeView
{
    /// <summary>"" for the root (etcd omits its key).</summary>
    public required string Key { get; init; }
    /// <summary>Null for directories.</summary>
    public string? Value { get; init; }
    public bool Dir { get; init; }
    /// <summary>Unix nanoseconds; null when permanent.</summary>
    public long? Expiration { get; init; }
    /// <summary>Children (a directory listed); null when not listed.</summary>
    public IReadOnlyList<V2NodeView>? Nodes { get; init; }
    public ulong ModifiedIndex { get; init; }
    public ulong CreatedIndex { get; init; }
}
