using Etcdserverpb;

namespace Coordinator.Gateway;

/// <summary>
/// Membership and maintenance operations of the member the gateway runs in (implemented by the Silo).
/// Optional: when it is not registered, the corresponding gRPC methods answer UNIMPLEMENTED. Failures are
/// <see cref="NodeException"/>s with etcd's status codes and texts.
/// </summary>
public interface IClusterAdmin
{
    Task<MemberAddResponse> MemberAddAsync(MemberAddRequest request, CancellationToken cancellationToken);
    Task<MemberRemoveResponse> MemberRemoveAsync(MemberRemoveRequest request, CancellationToken cancellationToken);
    Task<MemberUpdateResponse> MemberUpdateAsync(MemberUpdateRequest request, CancellationToken cancellationToken);
    Task<MemberPromoteResponse> MemberPromoteAsync(MemberPromoteRequest request, CancellationToken cancellationToken);
    /// <summary>Hands leadership to <paramref name="target"/>; returns once it leads (this member must lead).</summary>
    Task MoveLeaderAsync(ulong target, CancellationToken cancellationToken);
    /// <summary>A consistent snapshot of the state machine, as bytes (etcdctl snapshot save streams them).</summary>
    Task<byte[]> SnapshotAsync(CancellationToken cancellationToken);
    Task<AlarmResponse> AlarmAsync(AlarmRequest request, CancellationToken cancellationToken);
    /// <summary>Gives memory back after compaction (etcd: defragment the backend file).</summary>
    Task DefragmentAsync(CancellationToken cancellationToken);
}
