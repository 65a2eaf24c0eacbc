using Coordinator.Gateway.Grpc;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Coordinator.Gateway.Services.Concurrency;
using Coordinator.Gateway.Watch;
using Etcdserverpb;
using Google.Protobuf;
using V3lockpb;

namespace Coordinator.Gateway.Services;

/// <summary>
/// v3lockpb.Lock: etcd 3.4's lock server, which runs clientv3/concurrency's Mutex under the request's lease.
/// The lock on <c>name</c> is held by the key <c>name/&lt;lease hex&gt;</c> with the lowest create revision;
/// a waiter watches only its predecessor. The lock lives as long as its key: Unlock, or the lease ending, frees it.
/// </summary>
[BindServiceMethod(typeof(LockService), nameof(BindService))]
public sealed class LockService : V3lockpb.Lock.LockBase
{
    private readonly ResponseHeaderFactory _headers;
    private readonly CancellationToken _shutdown;
    private readonly RecipeKv _kv;
    private readonly TurnWaiter _turns;

    public LockService(ICoordinatorNode node, RaftProposer proposer, ResponseHeaderFactory headers, WatchHub hub,
        IHostApplicationLifetime lifetime)
    {
        _headers = headers;
        // Cleanup after a failed wait must outlive the call, not the server.
        _shutdown = lifetime.ApplicationStopping;
        _kv = new RecipeKv(node, proposer);
        _turns = new TurnWaiter(_kv, hub);
    }

    public static void BindService(ServiceBinderBase binder, V3lockpb.Lock.LockBase service) =>
        V3lockpb.Lock.BindService(new ParsingServiceBinder(binder), service);

    /// <summary>
    /// Joins the queue (creates the key if absent; a lease that already has a key reuses it and its place),
    /// then waits for its turn. A wait that fails (client gone, deadline, lease ended) deletes the key, as the
    /// Mutex does, so it never blocks later waiters.
    /// </summary>
    public override async Task<LockResponse> Lock(LockRequest request, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        var lease = await _kv.SessionLeaseAsync(request.Lease, cancellationToken);
        var prefix = RecipeKeys.Prefix(request.Name);
        var key = RecipeKeys.OwnKey(prefix, lease);

        var join = new TxnRequest();
        join.Compare.Add(RecipeKeys.CreateRevisionIs(key, 0));
        join.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = key, Lease = lease } });
        join.Success.Add(new RequestOp { RequestRange = RecipeKeys.FirstCreated(prefix) });
        join.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = key } });
        join.Failure.Add(new RequestOp { RequestRange = RecipeKeys.FirstCreated(prefix) });
        var joined = await _kv.TxnAsync(join, cancellationToken);

        var ownRevision = joined.Succeeded ? joined.Header.Revision : joined.Responses[0].ResponseRange.Kvs[0].CreateRevision;
        var owner = joined.Responses[1].ResponseRange.Kvs;
        var header = joined.Header;
        if (owner.Count > 0 && owner[0].CreateRevision != ownRevision)
        {
            try
            {
                header = await _turns.WaitAsync(prefix, key, ownRevision, cancellationToken);
            }
            catch
            {
                await DeleteQuietlyAsync(key, _shutdown);
                throw;
            }
        }
        return new LockResponse { Header = _headers.Fill(header), Key = key };
    }

    public override async Task<UnlockResponse> Unlock(UnlockRequest request, ServerCallContext context)
    {
        var deleted = await _kv.DeleteAsync(request.Key, context.CancellationToken);
        return new UnlockResponse { Header = _headers.Fill(deleted.Header) };
    }

    /// <summary>Best effort: if the delete fails too, the key goes when its lease does.</summary>
    private async Task DeleteQuietlyAsync(ByteString key, CancellationToken cancellationToken)
    {
        try
        {
            await _kv.DeleteAsync(key, cancellationToken);
        }
        catch (Exception)
        {
        }
    }
}
