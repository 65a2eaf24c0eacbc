namespace Coordinator.Grains.Store;

/// <summary>Leases by id, with their attached keys. Owned and locked by <see cref="KvStore"/>.</summary>
internal sealed class LeaseTable
{
    private readonly Dictionary<long, Lease> _leases = new();

    public int Count => _leases.Count;

    public Lease? Find(long id) => _leases.GetValueOrDefault(id);

    public bool Contains(long id) => _leases.ContainsKey(id);

    public Lease Add(long id, long ttl)
    {
        var lease = new Lease(id, ttl);
        _leases.Add(id, lease);
        return lease;
    }

    public void Remove(long id) => _leases.Remove(id);

    public void Attach(long id, byte[] key) => _leases[id].Keys.Add(key);

    public void Detach(long id, byte[] key)
    {
        if (_leases.TryGetValue(id, out var lease)) lease.Keys.Remove(key);
    }

    /// <summary>All leases in ascending id order (deterministic for snapshots and hashes).</summary>
    public IEnumerable<Lease> Ordered() => _leases.Values.OrderBy(l => l.Id);
}
