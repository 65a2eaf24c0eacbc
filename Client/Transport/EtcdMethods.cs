using Etcdserverpb;

namespace Coordinator.Client.Transport;

/// <summary>The unary etcd v3 RPCs this client calls, with their retry classification (etcd's Go client:
/// reads are retried on UNAVAILABLE; Put, Txn, DeleteRange, Compact and the other writes only when unsent).</summary>
internal static class EtcdMethods
{
    public static readonly RpcMethod<RangeRequest, RangeResponse> Range = new("/etcdserverpb.KV/Range", true, (c, r, o) => c.Kv.RangeAsync(r, o));
    public static readonly RpcMethod<PutRequest, PutResponse> Put = new("/etcdserverpb.KV/Put", false, (c, r, o) => c.Kv.PutAsync(r, o));
    public static readonly RpcMethod<DeleteRangeRequest, DeleteRangeResponse> DeleteRange = new("/etcdserverpb.KV/DeleteRange", false, (c, r, o) => c.Kv.DeleteRangeAsync(r, o));
    public static readonly RpcMethod<TxnRequest, TxnResponse> Txn = new("/etcdserverpb.KV/Txn", false, (c, r, o) => c.Kv.TxnAsync(r, o));
    /// <summary>A transaction without writes (only ranges, recursively) is as safe to retry as a range.</summary>
    public static readonly RpcMethod<TxnRequest, TxnResponse> ReadOnlyTxn = Txn with { ReadOnly = true };
    public static readonly RpcMethod<CompactionRequest, CompactionResponse> Compact = new("/etcdserverpb.KV/Compact", false, (c, r, o) => c.Kv.CompactAsync(r, o));

    public static readonly RpcMethod<LeaseGrantRequest, LeaseGrantResponse> LeaseGrant = new("/etcdserverpb.Lease/LeaseGrant", false, (c, r, o) => c.Lease.LeaseGrantAsync(r, o));
    public static readonly RpcMethod<LeaseRevokeRequest, LeaseRevokeResponse> LeaseRevoke = new("/etcdserverpb.Lease/LeaseRevoke", false, (c, r, o) => c.Lease.LeaseRevokeAsync(r, o));
    public static readonly RpcMethod<LeaseTimeToLiveRequest, LeaseTimeToLiveResponse> LeaseTimeToLive = new("/etcdserverpb.Lease/LeaseTimeToLive", true, (c, r, o) => c.Lease.LeaseTimeToLiveAsync(r, o));
    public static readonly RpcMethod<LeaseLeasesRequest, LeaseLeasesResponse> LeaseLeases = new("/etcdserverpb.Lease/LeaseLeases", true, (c, r, o) => c.Lease.LeaseLeasesAsync(r, o));

    public static readonly RpcMethod<MemberListRequest, MemberListResponse> MemberList = new("/etcdserverpb.Cluster/MemberList", true, (c, r, o) => c.Cluster.MemberListAsync(r, o));
    public static readonly RpcMethod<MemberAddRequest, MemberAddResponse> MemberAdd = new("/etcdserverpb.Cluster/MemberAdd", false, (c, r, o) => c.Cluster.MemberAddAsync(r, o));
    public static readonly RpcMethod<MemberRemoveRequest, MemberRemoveResponse> MemberRemove = new("/etcdserverpb.Cluster/MemberRemove", false, (c, r, o) => c.Cluster.MemberRemoveAsync(r, o));
    public static readonly RpcMethod<MemberUpdateRequest, MemberUpdateResponse> MemberUpdate = new("/etcdserverpb.Cluster/MemberUpdate", false, (c, r, o) => c.Cluster.MemberUpdateAsync(r, o));
    public static readonly RpcMethod<MemberPromoteRequest, MemberPromoteResponse> MemberPromote = new("/etcdserverpb.Cluster/MemberPromote", false, (c, r, o) => c.Cluster.MemberPromoteAsync(r, o));

    public static readonly RpcMethod<StatusRequest, StatusResponse> Status = new("/etcdserverpb.Maintenance/Status", true, (c, r, o) => c.Maintenance.StatusAsync(r, o));
    public static readonly RpcMethod<HashKVRequest, HashKVResponse> HashKV = new("/etcdserverpb.Maintenance/HashKV", true, (c, r, o) => c.Maintenance.HashKVAsync(r, o));
    public static readonly RpcMethod<AlarmRequest, AlarmResponse> Alarm = new("/etcdserverpb.Maintenance/Alarm", false, (c, r, o) => c.Maintenance.AlarmAsync(r, o));
    public static readonly RpcMethod<DefragmentRequest, DefragmentResponse> Defragment = new("/etcdserverpb.Maintenance/Defragment", true, (c, r, o) => c.Maintenance.DefragmentAsync(r, o));
    public static readonly RpcMethod<MoveLeaderRequest, MoveLeaderResponse> MoveLeader = new("/etcdserverpb.Maintenance/MoveLeader", false, (c, r, o) => c.Maintenance.MoveLeaderAsync(r, o));

    // Auth: every call is a write through the log on the server (reads too), so none is replayed after it may have arrived.
    public static readonly RpcMethod<AuthEnableRequest, AuthEnableResponse> AuthEnable = new("/etcdserverpb.Auth/AuthEnable", false, (c, r, o) => c.Auth.AuthEnableAsync(r, o));
    public static readonly RpcMethod<AuthDisableRequest, AuthDisableResponse> AuthDisable = new("/etcdserverpb.Auth/AuthDisable", false, (c, r, o) => c.Auth.AuthDisableAsync(r, o));
    public static readonly RpcMethod<AuthUserAddRequest, AuthUserAddResponse> UserAdd = new("/etcdserverpb.Auth/UserAdd", false, (c, r, o) => c.Auth.UserAddAsync(r, o));
    public static readonly RpcMethod<AuthUserDeleteRequest, AuthUserDeleteResponse> UserDelete = new("/etcdserverpb.Auth/UserDelete", false, (c, r, o) => c.Auth.UserDeleteAsync(r, o));
    public static readonly RpcMethod<AuthUserChangePasswordRequest, AuthUserChangePasswordResponse> UserChangePassword = new("/etcdserverpb.Auth/UserChangePassword", false, (c, r, o) => c.Auth.UserChangePasswordAsync(r, o));
    public static readonly RpcMethod<AuthUserGrantRoleRequest, AuthUserGrantRoleResponse> UserGrantRole = new("/etcdserverpb.Auth/UserGrantRole", false, (c, r, o) => c.Auth.UserGrantRoleAsync(r, o));
    public static readonly RpcMethod<AuthUserGetRequest, AuthUserGetResponse> UserGet = new("/etcdserverpb.Auth/UserGet", true, (c, r, o) => c.Auth.UserGetAsync(r, o));
    public static readonly RpcMethod<AuthUserListRequest, AuthUserListResponse> UserList = new("/etcdserverpb.Auth/UserList", true, (c, r, o) => c.Auth.UserListAsync(r, o));
    public static readonly RpcMethod<AuthRoleAddRequest, AuthRoleAddResponse> RoleAdd = new("/etcdserverpb.Auth/RoleAdd", false, (c, r, o) => c.Auth.RoleAddAsync(r, o));
    public static readonly RpcMethod<AuthRoleGetRequest, AuthRoleGetResponse> RoleGet = new("/etcdserverpb.Auth/RoleGet", true, (c, r, o) => c.Auth.RoleGetAsync(r, o));
    public static readonly RpcMethod<AuthRoleGrantPermissionRequest, AuthRoleGrantPermissionResponse> RoleGrantPermission = new("/etcdserverpb.Auth/RoleGrantPermission", false, (c, r, o) => c.Auth.RoleGrantPermissionAsync(r, o));
}
