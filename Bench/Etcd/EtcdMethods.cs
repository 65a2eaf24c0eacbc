using Coordinator.Bench.Grpc;
using Etcdserverpb;
using V3lockpb;

namespace Coordinator.Bench.Etcd;

/// <summary>The etcd v3 gRPC methods the benchmark calls, by path.</summary>
public static class EtcdMethods
{
    public static readonly GrpcMethod<RangeResponse> Range = new("/etcdserverpb.KV/Range", RangeResponse.Parser);
    public static readonly GrpcMethod<PutResponse> Put = new("/etcdserverpb.KV/Put", PutResponse.Parser);
    public static readonly GrpcMethod<DeleteRangeResponse> DeleteRange = new("/etcdserverpb.KV/DeleteRange", DeleteRangeResponse.Parser);
    public static readonly GrpcMethod<TxnResponse> Txn = new("/etcdserverpb.KV/Txn", TxnResponse.Parser);
    public static readonly GrpcMethod<WatchResponse> Watch = new("/etcdserverpb.Watch/Watch", WatchResponse.Parser);
    public static readonly GrpcMethod<LeaseGrantResponse> LeaseGrant = new("/etcdserverpb.Lease/LeaseGrant", LeaseGrantResponse.Parser);
    public static readonly GrpcMethod<LeaseRevokeResponse> LeaseRevoke = new("/etcdserverpb.Lease/LeaseRevoke", LeaseRevokeResponse.Parser);
    public static readonly GrpcMethod<LeaseKeepAliveResponse> LeaseKeepAlive = new("/etcdserverpb.Lease/LeaseKeepAlive", LeaseKeepAliveResponse.Parser);
    public static readonly GrpcMethod<StatusResponse> Status = new("/etcdserverpb.Maintenance/Status", StatusResponse.Parser);
    public static readonly GrpcMethod<LockResponse> Lock = new("/v3lockpb.Lock/Lock", LockResponse.Parser);
    public static readonly GrpcMethod<UnlockResponse> Unlock = new("/v3lockpb.Lock/Unlock", UnlockResponse.Parser);
}
