namespace Coordinator.Grains.Store.V2;

/// <summary>
/// The outcome of a v2 operation (etcd's v2store.Event). Immutable. <see cref="EtcdIndex"/> is the store index
/// after the operation. <see cref="Refresh"/> marks a TTL refresh: kept in the history but never delivered to
/// watchers. <see cref="DeletedPaths"/> lists, in removal order, every node a delete or expiry removed (watchers
/// of those paths are told too).
/// </summary>
public sealed record V2Event
{
    public required string Action { get; init; }
    public required V2NodeView Node { get; init; }
    public V2NodeView? PrevNode { get; init; }
    public ulong EtcdIndex { get; init; }
    public bool Refresh { get; init; }
    public IReadOnlyList<string> DeletedPaths { get; init; } = [];

    /// <summary>The index the event happened at (the node's modifiedIndex).</summary>
    public ulong Index => Node.ModifiedIndex;

    /// <summary>Created (HTTP 201): a create, or a set that replaced nothing.</summary>
    public bool IsCreated => Action == V2Actions.Create || (Action == V2Actions.Set && PrevNode is null);
}
