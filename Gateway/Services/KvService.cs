using Coordinator.Gateway.Grpc;
using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Grpc.Core;

namespace Coordinator.Gateway.Services;

/// <summary>etcdserverpb.KV: reads from the local store (after a ReadIndex barrier unless serializable),
/// writes through Raft.</summary>
[BindServiceMethod(typeof(KvService), nameof(BindService))]
public sealed class KvService(ICoordinatorNode node, RaftProposer proposer, ResponseHeaderFactory headers) : KV.KVBase
{
    public static void BindService(ServiceBinderBase binder, KV.KVBase service) => KV.BindService(new ParsingServiceBinder(binder), service);

    public override async Task<RangeResponse> Range(RangeRequest request, ServerCallContext context)
    {
        node.Store.Validator.ValidateRange(request);
        if (!request.Serializable) await node.ReadBarrierAsync(context.CancellationToken);
        var response = node.Store.Range(request);
        headers.Fill(response.Header);
        return response;
    }

    public override async Task<PutResponse> Put(PutRequest request, ServerCallContext context)
    {
        var response = await proposer.ProposeAsync<PutResponse>(new RaftRequest { Put = request }, context.CancellationToken);
        headers.Fill(response.Header);
        return response;
    }

    public override async Task<DeleteRangeResponse> DeleteRange(DeleteRangeRequest request, ServerCallContext context)
    {
        var response = await proposer.ProposeAsync<DeleteRangeResponse>(
            new RaftRequest { DeleteRange = request }, context.CancellationToken);
        headers.Fill(response.Header);
        return response;
    }

    /// <summary>A txn whose every branch only reads is served like a Range (etcd does too): barrier unless all
    /// its ranges are serializable, then evaluated against the local store without entering the log.</summary>
    public override async Task<TxnResponse> Txn(TxnRequest request, ServerCallContext context)
    {
        TxnResponse response;
        if (TxnShape.IsReadOnly(request))
        {
            node.Store.Validator.ValidateTxn(request);
            if (!TxnShape.IsSerializable(request)) await node.ReadBarrierAsync(context.CancellationToken);
            response = ReadOnlyTxn(request);
        }
        else
        {
            response = await proposer.ProposeAsync<TxnResponse>(new RaftRequest { Txn = request }, context.CancellationToken);
        }
        headers.Fill(response.Header);
        return response;
    }

    // Index 0 = "not from the log": the store evaluates it under its lock without touching the applied index;
    // a read-only txn changes nothing, so this is a read.
    private TxnResponse ReadOnlyTxn(TxnRequest request)
    {
        var result = node.Store.Apply(new RaftRequest { Txn = request, AuthHeader = Auth.CallAuth.Current }, raftIndex: 0);
        if (result.Error is { } error) throw error;
        return (TxnResponse)result.Response!;
    }

    public override async Task<CompactionResponse> Compact(CompactionRequest request, ServerCallContext context)
    {
        // `physical` needs no wait: the store compacts in memory as it applies the entry.
        var response = await proposer.ProposeAsync<CompactionResponse>(
            new RaftRequest { Compaction = request }, context.CancellationToken);
        headers.Fill(response.Header);
        return response;
    }
}
