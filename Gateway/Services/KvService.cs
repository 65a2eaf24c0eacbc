using Coordinator.Gateway.Grpc;
using Coordinator.Protocol.Internal;
using Etcdserverpb;

namespace Coordinator.Gateway.Services;

/// <summary>etcdserverpb.KV: reads from the local store (after a ReadIndex barrier unless serializable),
/// writes through Raft.</summary>
public sealed class KvService(ICoordinatorNode node, RaftProposer proposer, ResponseHeaderFactory headers) : IGrpcService
{
    public void Register(GrpcMethodTable table)
    {
        table.Unary<RangeRequest, RangeResponse>("/etcdserverpb.KV/Range", RangeRequest.Parser, RangeAsync);
        table.Unary<PutRequest, PutResponse>("/etcdserverpb.KV/Put", PutRequest.Parser, PutAsync);
        table.Unary<DeleteRangeRequest, DeleteRangeResponse>("/etcdserverpb.KV/DeleteRange", DeleteRangeRequest.Parser, DeleteRangeAsync);
        table.Unary<TxnRequest, TxnResponse>("/etcdserverpb.KV/Txn", TxnRequest.Parser, TxnAsync);
        table.Unary<CompactionRequest, CompactionResponse>("/etcdserverpb.KV/Compact", CompactionRequest.Parser, CompactAsync);
    }

    private async ValueTask<RangeResponse> RangeAsync(RangeRequest request, GrpcCall call)
    {
        node.Store.Validator.ValidateRange(request);
        if (!request.Serializable) await node.ReadBarrierAsync(call.CancellationToken);
        var response = node.Store.Range(request);
        headers.Fill(response.Header);
        return response;
    }

    private async ValueTask<PutResponse> PutAsync(PutRequest request, GrpcCall call)
    {
        var response = await proposer.ProposeAsync<PutResponse>(new RaftRequest { Put = request }, call.CancellationToken);
        headers.Fill(response.Header);
        return response;
    }

    private async ValueTask<DeleteRangeResponse> DeleteRangeAsync(DeleteRangeRequest request, GrpcCall call)
    {
        var response = await proposer.ProposeAsync<DeleteRangeResponse>(
            new RaftRequest { DeleteRange = request }, call.CancellationToken);
        headers.Fill(response.Header);
        return response;
    }

    /// <summary>A txn whose every branch only reads is served like a Range (etcd does too): barrier unless all
    /// its ranges are serializable, then evaluated against the local store without entering the log.</summary>
    private async ValueTask<TxnResponse> TxnAsync(TxnRequest request, GrpcCall call)
    {
        TxnResponse response;
        if (TxnShape.IsReadOnly(request))
        {
            node.Store.Validator.ValidateTxn(request);
            if (!TxnShape.IsSerializable(request)) await node.ReadBarrierAsync(call.CancellationToken);
            response = ReadOnlyTxn(request);
        }
        else
        {
            response = await proposer.ProposeAsync<TxnResponse>(new RaftRequest { Txn = request }, call.CancellationToken);
        }
        headers.Fill(response.Header);
        return response;
    }

    // Index 0 = "not from the log": the store evaluates it under its lock without touching the applied index;
    // a read-only txn changes nothing, so this is a read.
    private TxnResponse ReadOnlyTxn(TxnRequest request)
    {
        var result = node.Store.Apply(new RaftRequest { Txn = request }, raftIndex: 0);
        if (result.Error is { } error) throw error;
        return (TxnResponse)result.Response!;
    }

    private async ValueTask<CompactionResponse> CompactAsync(CompactionRequest request, GrpcCall call)
    {
        // `physical` needs no wait: the store compacts in memory as it applies the entry.
        var response = await proposer.ProposeAsync<CompactionResponse>(
            new RaftRequest { Compaction = request }, call.CancellationToken);
        headers.Fill(response.Header);
        return response;
    }
}
