namespace Coordinator.Grains.Store;

/// <summary>A granted lease and the keys currently attached to it (key arrays are shared with the index).</summary>
internal sealed class Lease(long id, long ttl)
{
    public long Id { get; } = id;

    /// <summary>Granted TTL in seconds, after the minimum was applied.</summary>
    public long Ttl { get; } = ttl;

    /// <summary>Last checkpointed remaining TTL in seconds; 0 when never checkpointed.</summary>
    public long RemainingTtl { get; set; }

    public SortedSet<byte[]> Keys { get; } = new(ByteKeyComparer.Instance);
}
