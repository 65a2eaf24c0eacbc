using Coordinator.Bench.Grpc;
using Etcdserverpb;
using Google.Protobuf;
using V3lockpb;

namespace Coordinator.Bench.Etcd;

/// <summary>Typed etcd v3 calls over one <see cref="GrpcConnection"/>.</summary>
public sealed class EtcdClient(GrpcConnection connection)
{
    public GrpcConnection Connection { get; } = connection;

    public Task<PutResponse> PutAsync(PutRequest r, CancellationToken ct) => Connection.UnaryAsync(EtcdMethods.Put, r, ct);
    public Task<RangeResponse> RangeAsync(RangeRequest r, CancellationToken ct) => Connection.UnaryAsync(EtcdMethods.Range, r, ct);
    public Task<TxnResponse> TxnAsync(TxnRequest r, CancellationToken ct) => Connection.UnaryAsync(EtcdMethods.Txn, r, ct);
    public Task<DeleteRangeResponse> DeleteAsync(DeleteRangeRequest r, CancellationToken ct) => Connection.UnaryAsync(EtcdMethods.DeleteRange, r, ct);
    public Task<StatusResponse> StatusAsync(CancellationToken ct) => Connection.UnaryAsync(EtcdMethods.Status, new StatusRequest(), ct);
    public Task<LockResponse> LockAsync(LockRequest r, CancellationToken ct) => Connection.UnaryAsync(EtcdMethods.Lock, r, ct);
    public Task<UnlockResponse> UnlockAsync(UnlockRequest r, CancellationToken ct) => Connection.UnaryAsync(EtcdMethods.Unlock, r, ct);

    public async Task<long> GrantLeaseAsync(long ttlSeconds, CancellationToken ct) =>
        (await Connection.UnaryAsync(EtcdMethods.LeaseGrant, new LeaseGrantRequest { TTL = ttlSeconds }, ct).ConfigureAwait(false)).ID;

    public Task RevokeLeaseAsync(long id, CancellationToken ct) =>
        Connection.UnaryAsync(EtcdMethods.LeaseRevoke, new LeaseRevokeRequest { ID = id }, ct);

    public Task<RangeResponse> GetAsync(ByteString key, bool serializable, CancellationToken ct) =>
        RangeAsync(new RangeRequest { Key = key, Serializable = serializable }, ct);

    public WatchStream OpenWatch(CancellationToken ct) => new(Connection.Duplex(EtcdMethods.Watch, ct), ct);

    public GrpcDuplexCall<LeaseKeepAliveResponse> OpenKeepAlive(CancellationToken ct) => Connection.Duplex(EtcdMethods.LeaseKeepAlive, ct);
}
