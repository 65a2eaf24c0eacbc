using Coordinator.Protocol.Internal;
using Etcdserverpb;

namespace Coordinator.Grains.Store;

public sealed partial class KvStore
{
    /// <summary>The lease with its attached keys (sorted), or null if it does not exist.</summary>
    public LeaseInfo? GetLease(long id) => Read(() => _leases.Find(id) is { } lease ? ToInfo(lease) : null);

    /// <summary>All leases, ascending by id. The leader's expiry timer starts from these.</summary>
    public IReadOnlyList<LeaseInfo> Leases() => Read(() => (IReadOnlyList<LeaseInfo>)_leases.Ordered().Select(ToInfo).ToList());

    private static LeaseInfo ToInfo(Lease lease) => new(lease.Id, lease.Ttl, lease.RemainingTtl, lease.Keys.ToArray());

    private LeaseGrantResponse LeaseGrantLocked(LeaseGrantRequest request, ulong raftIndex, ulong requestId)
    {
        if (request.TTL > Options.MaxLeaseTtl) throw StoreErrors.LeaseTtlTooLarge();
        var id = request.ID != 0 ? request.ID : GenerateLeaseId(raftIndex, requestId);
        if (_leases.Contains(id)) throw StoreErrors.LeaseExists();
        var ttl = Math.Max(request.TTL, Options.MinLeaseTtl);
        _leases.Add(id, ttl);
        return new LeaseGrantResponse { Header = Header(), ID = id, TTL = ttl };
    }

    /// <summary>
    /// A positive id derived only from the entry (never a clock): a SplitMix64 walk seeded by the raft
    /// index and request id, skipping ids in use.
    /// </summary>
    private long GenerateLeaseId(ulong raftIndex, ulong requestId)
    {
        var state = raftIndex * 0x9E3779B97F4A7C15UL ^ requestId;
        while (true)
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            var id = (long)(z & long.MaxValue);
            if (id != 0 && !_leases.Contains(id)) return id;
        }
    }

    private LeaseRevokeResponse LeaseRevokeLocked(LeaseRevokeRequest request)
    {
        var lease = _leases.Find(request.ID) ?? throw StoreErrors.LeaseNotFound();
        Revoke(lease);
        return new LeaseRevokeResponse { Header = Header() };
    }

    /// <summary>Deletes the lease's keys in one revision, then the lease.</summary>
    private void Revoke(Lease lease)
    {
        var batch = BeginBatch();
        DeleteKeys(lease.Keys, batch);
        Commit(batch);
        _leases.Remove(lease.Id);
    }

    /// <summary>Records remaining TTLs so a new leader resumes from them; unknown ids are ignored (as etcd).</summary>
    private LeaseCheckpointResponse LeaseCheckpointLocked(LeaseCheckpointRequest request)
    {
        foreach (var checkpoint in request.Checkpoints)
        {
            if (_leases.Find(checkpoint.ID) is { } lease) lease.RemainingTtl = checkpoint.RemainingTTL;
        }
        return new LeaseCheckpointResponse { Header = Header() };
    }

    /// <summary>Revokes each listed lease that still exists, one revision per lease, in the listed order.</summary>
    private void LeaseExpireLocked(LeaseExpire request)
    {
        foreach (var id in request.Ids)
        {
            if (_leases.Find(id) is { } lease) Revoke(lease);
        }
    }
}
