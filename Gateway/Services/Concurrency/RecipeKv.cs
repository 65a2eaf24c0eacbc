using Coordinator.Gateway.Auth;
using Coordinator.Grains.Store;
using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Google.Protobuf;

namespace Coordinator.Gateway.Services.Concurrency;

/// <summary>
/// The KV and lease requests the lock and election recipes make, as the call's user (<see cref="CallAuth"/>):
/// writes through Raft, linearizable reads (ReadIndex barrier, then the local store). A store refusal surfaces as etcd's recipe servers surface it
/// (<see cref="RecipeErrors.FromStore"/>); member failures (no leader, timeout) keep their own status.
/// </summary>
internal sealed class RecipeKv(ICoordinatorNode node, RaftProposer proposer)
{
    /// <summary>TTL of the lease etcd's concurrency.Session grants when a request names none (defaultSessionTTL).</summary>
    public const long SessionTtlSeconds = 60;

    public Task<TxnResponse> TxnAsync(TxnRequest txn, CancellationToken cancellationToken) =>
        ProposeAsync<TxnResponse>(new RaftRequest { Txn = txn }, cancellationToken);

    public Task<DeleteRangeResponse> DeleteAsync(ByteString key, CancellationToken cancellationToken) =>
        ProposeAsync<DeleteRangeResponse>(new RaftRequest { DeleteRange = new DeleteRangeRequest { Key = key } }, cancellationToken);

    /// <summary>Checked as etcd's recipes are (a Range by the caller): read permission on the request's range.</summary>
    public async Task<RangeResponse> RangeAsync(RangeRequest request, CancellationToken cancellationToken)
    {
        await node.ReadBarrierAsync(cancellationToken);
        try
        {
            if (node.Store.Auth.CheckRange(CallAuth.Current, request.Key.ToByteArray(), request.RangeEnd.ToByteArray()) is { } denied)
                throw denied;
            return node.Store.Range(request);
        }
        catch (StoreException refusal)
        {
            throw RecipeErrors.FromStore(refusal);
        }
    }

    /// <summary>
    /// The lease the recipe runs under. etcd's servers open a concurrency.Session with the request's lease; for
    /// lease 0 that session grants a fresh lease of <see cref="SessionTtlSeconds"/> and, orphaned, never renews it.
    /// </summary>
    public async Task<long> SessionLeaseAsync(long lease, CancellationToken cancellationToken)
    {
        if (lease != 0) return lease;
        var granted = await ProposeAsync<LeaseGrantResponse>(
            new RaftRequest { LeaseGrant = new LeaseGrantRequest { TTL = SessionTtlSeconds } }, cancellationToken);
        return granted.ID;
    }

    private async Task<TResponse> ProposeAsync<TResponse>(RaftRequest request, CancellationToken cancellationToken)
        where TResponse : class, IMessage<TResponse>
    {
        try
        {
            return await proposer.ProposeAsync<TResponse>(request, cancellationToken);
        }
        catch (StoreException refusal)
        {
            throw RecipeErrors.FromStore(refusal);
        }
    }
}
