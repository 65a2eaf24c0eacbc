using Etcdserverpb;

namespace Coordinator.Client.Transport;

/// <summary>The etcd v3 RPCs this client calls, with their retry classification.</summary>
internal static class EtcdMethods
{
    public static readonly GrpcMethod<RangeRequest, RangeResponse> Range = new("/etcdserverpb.KV/Range", RangeResponse.Parser, Idempotent: true);
    public static readonly GrpcMethod<PutRequest, PutResponse> Put = new("/etcdserverpb.KV/Put", PutResponse.Parser, Idempotent: false);
    public static readonly GrpcMethod<DeleteRangeRequest, DeleteRangeResponse> DeleteRange = new("/etcdserverpb.KV/DeleteRange", DeleteRangeResponse.Parser, Idempotent: false);
    public static readonly GrpcMethod<TxnRequest, TxnResponse> Txn = new("/etcdserverpb.KV/Txn", TxnResponse.Parser, Idempotent: false);
    /// <summary>A transaction without writes (only ranges, recursively) is as safe to retry as a range.</summary>
    public static readonly GrpcMethod<TxnRequest, TxnResponse> ReadOnlyTxn = Txn with { Idempotent = true };
    public static readonly GrpcMethod<CompactionRequest, CompactionResponse> Compact = new("/etcdserverpb.KV/Compact", CompactionResponse.Parser, Idempotent: false);

    public static readonly GrpcMethod<WatchRequest, WatchResponse> Watch = new("/etcdserverpb.Watch/Watch", WatchResponse.Parser, Idempotent: true);

    public static readonly GrpcMethod<LeaseGrantRequest, LeaseGrantResponse> LeaseGrant = new("/etcdserverpb.Lease/LeaseGrant", LeaseGrantResponse.Parser, Idempotent: false);
    public static readonly GrpcMethod<LeaseRevokeRequest, LeaseRevokeResponse> LeaseRevoke = new("/etcdserverpb.Lease/LeaseRevoke", LeaseRevokeResponse.Parser, Idempotent: false);
    public static readonly GrpcMethod<LeaseKeepAliveRequest, LeaseKeepAliveResponse> LeaseKeepAlive = new("/etcdserverpb.Lease/LeaseKeepAlive", LeaseKeepAliveResponse.Parser, Idempotent: true);
    public static readonly GrpcMethod<LeaseTimeToLiveRequest, LeaseTimeToLiveResponse> LeaseTimeToLive = new("/etcdserverpb.Lease/LeaseTimeToLive", LeaseTimeToLiveResponse.Parser, Idempotent: true);
    public static readonly GrpcMethod<LeaseLeasesRequest, LeaseLeasesResponse> LeaseLeases = new("/etcdserverpb.Lease/LeaseLeases", LeaseLeasesResponse.Parser, Idempotent: true);

    public static readonly GrpcMethod<MemberListRequest, MemberListResponse> MemberList = new("/etcdserverpb.Cluster/MemberList", MemberListResponse.Parser, Idempotent: true);
    public static readonly GrpcMethod<MemberAddRequest, MemberAddResponse> MemberAdd = new("/etcdserverpb.Cluster/MemberAdd", MemberAddResponse.Parser, Idempotent: false);
    public static readonly GrpcMethod<MemberRemoveRequest, MemberRemoveResponse> MemberRemove = new("/etcdserverpb.Cluster/MemberRemove", MemberRemoveResponse.Parser, Idempotent: false);
    public static readonly GrpcMethod<MemberUpdateRequest, MemberUpdateResponse> MemberUpdate = new("/etcdserverpb.Cluster/MemberUpdate", MemberUpdateResponse.Parser, Idempotent: false);
    public static readonly GrpcMethod<MemberPromoteRequest, MemberPromoteResponse> MemberPromote = new("/etcdserverpb.Cluster/MemberPromote", MemberPromoteResponse.Parser, Idempotent: false);

    public static readonly GrpcMethod<StatusRequest, StatusResponse> Status = new("/etcdserverpb.Maintenance/Status", StatusResponse.Parser, Idempotent: true);
    public static readonly GrpcMethod<HashKVRequest, HashKVResponse> HashKV = new("/etcdserverpb.Maintenance/HashKV", HashKVResponse.Parser, Idempotent: true);
    public static readonly GrpcMethod<AlarmRequest, AlarmResponse> Alarm = new("/etcdserverpb.Maintenance/Alarm", AlarmResponse.Parser, Idempotent: false);
    public static readonly GrpcMethod<DefragmentRequest, DefragmentResponse> Defragment = new("/etcdserverpb.Maintenance/Defragment", DefragmentResponse.Parser, Idempotent: true);
    public static readonly GrpcMethod<SnapshotRequest, SnapshotResponse> Snapshot = new("/etcdserverpb.Maintenance/Snapshot", SnapshotResponse.Parser, Idempotent: true);
    public static readonly GrpcMethod<MoveLeaderRequest, MoveLeaderResponse> MoveLeader = new("/etcdserverpb.Maintenance/MoveLeader", MoveLeaderResponse.Parser, Idempotent: false);
}
