using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Google.Protobuf;

namespace Coordinator.Grains.Store;

/// <summary>
/// Stateless checks etcd makes before proposing a request. The gateway calls these before
/// proposing; the store repeats them on apply so a bad entry can never half-apply.
/// </summary>
public sealed class RequestValidator(StoreOptions options)
{
    public static RequestValidator Default { get; } = new(StoreOptions.Default);

    public StoreOptions Options { get; } = options;

    public void ValidateRange(RangeRequest request)
    {
        if (request.Key.IsEmpty) throw StoreErrors.EmptyKey();
    }

    public void ValidatePut(PutRequest request)
    {
        if (request.Key.IsEmpty) throw StoreErrors.EmptyKey();
        if (request.IgnoreValue && !request.Value.IsEmpty) throw StoreErrors.ValueProvided();
        if (request.IgnoreLease && request.Lease != 0) throw StoreErrors.LeaseProvided();
    }

    public void ValidateDeleteRange(DeleteRangeRequest request)
    {
        if (request.Key.IsEmpty) throw StoreErrors.EmptyKey();
    }

    /// <summary>Operation counts, keys of every nested op, then put/delete overlaps.</summary>
    public void ValidateTxn(TxnRequest request)
    {
        ValidateTxnOps(request, Options.MaxTxnOps);
        TxnConflictChecker.Check(request);
    }

    /// <summary>The encoded size of a proposal, as etcd bounds it with --max-request-bytes.</summary>
    public void ValidateSize(IMessage proposal)
    {
        if (proposal.CalculateSize() > Options.MaxRequestBytes) throw StoreErrors.RequestTooLarge();
    }

    /// <summary>Every check that applies to one Raft command, including its size.</summary>
    public void Validate(RaftRequest request)
    {
        switch (request.CommandCase)
        {
            case RaftRequest.CommandOneofCase.Range: ValidateRange(request.Range); break;
            case RaftRequest.CommandOneofCase.Put: ValidatePut(request.Put); break;
            case RaftRequest.CommandOneofCase.DeleteRange: ValidateDeleteRange(request.DeleteRange); break;
            case RaftRequest.CommandOneofCase.Txn: ValidateTxn(request.Txn); break;
        }
        ValidateSize(request);
    }

    // A nested txn gets the budget left after its parent's own widest list (etcd's rule).
    private static void ValidateTxnOps(TxnRequest request, int maxOps)
    {
        var opCount = Math.Max(request.Compare.Count, Math.Max(request.Success.Count, request.Failure.Count));
        if (opCount > maxOps) throw StoreErrors.TooManyOps();
        foreach (var compare in request.Compare)
        {
            if (compare.Key.IsEmpty) throw StoreErrors.EmptyKey();
        }
        foreach (var op in request.Success) ValidateOp(op, maxOps - opCount);
        foreach (var op in request.Failure) ValidateOp(op, maxOps - opCount);
    }

    private static void ValidateOp(RequestOp op, int maxOps)
    {
        switch (op.RequestCase)
        {
            case RequestOp.RequestOneofCase.RequestRange:
                if (op.RequestRange.Key.IsEmpty) throw StoreErrors.EmptyKey();
                break;
            case RequestOp.RequestOneofCase.RequestPut:
                var put = op.RequestPut;
                if (put.Key.IsEmpty) throw StoreErrors.EmptyKey();
                if (put.IgnoreValue && !put.Value.IsEmpty) throw StoreErrors.ValueProvided();
                if (put.IgnoreLease && put.Lease != 0) throw StoreErrors.LeaseProvided();
                break;
            case RequestOp.RequestOneofCase.RequestDeleteRange:
                if (op.RequestDeleteRange.Key.IsEmpty) throw StoreErrors.EmptyKey();
                break;
            case RequestOp.RequestOneofCase.RequestTxn:
                ValidateTxnOps(op.RequestTxn, maxOps);
                break;
            default:
                // etcd answers an empty op with "key not found".
                throw StoreErrors.KeyNotFound();
        }
    }
}
