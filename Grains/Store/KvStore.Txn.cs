using Etcdserverpb;

namespace Coordinator.Grains.Store;

public sealed partial class KvStore
{
    /// <summary>
    /// All guards (nested ones too) are evaluated against the state before the txn; then the chosen
    /// branch's puts and ranges are checked; only then does anything change. One revision for all writes.
    /// </summary>
    private TxnResponse TxnTopLevel(TxnRequest request)
    {
        var beginRevision = _currentRevision;
        var path = new Dictionary<TxnRequest, bool>(ReferenceEqualityComparer.Instance);
        ChoosePath(request, beginRevision, path);
        CheckChosenOps(request, path, beginRevision);

        var batch = BeginBatch();
        var response = ExecuteTxn(request, path, batch);
        Commit(batch);
        response.Header = Header();
        return response;
    }

    private void ChoosePath(TxnRequest txn, long revision, Dictionary<TxnRequest, bool> path)
    {
        var succeeded = txn.Compare.All(c => TxnCompare.Holds(_index, _values, c, revision));
        path[txn] = succeeded;
        foreach (var op in succeeded ? txn.Success : txn.Failure)
        {
            if (op.RequestCase == RequestOp.RequestOneofCase.RequestTxn) ChoosePath(op.RequestTxn, revision, path);
        }
    }

    private void CheckChosenOps(TxnRequest txn, Dictionary<TxnRequest, bool> path, long beginRevision)
    {
        var chosen = ChosenOps(txn, path).ToList();
        foreach (var op in chosen.Where(o => o.RequestCase == RequestOp.RequestOneofCase.RequestPut))
        {
            CheckPutNeedsExistingKey(op.RequestPut);
            if (op.RequestPut.Lease != 0 && !_leases.Contains(op.RequestPut.Lease)) throw StoreErrors.LeaseNotFound();
        }
        foreach (var op in chosen.Where(o => o.RequestCase == RequestOp.RequestOneofCase.RequestRange))
        {
            var rev = op.RequestRange.Revision;
            if (rev == 0) continue;
            if (rev > beginRevision) throw StoreErrors.FutureRevision();
            if (rev < _compactRevision) throw StoreErrors.Compacted();
        }
    }

    /// <summary>The non-txn ops that will run, depth first in execution order.</summary>
    private static IEnumerable<RequestOp> ChosenOps(TxnRequest txn, Dictionary<TxnRequest, bool> path)
    {
        foreach (var op in path[txn] ? txn.Success : txn.Failure)
        {
            if (op.RequestCase == RequestOp.RequestOneofCase.RequestTxn)
            {
                foreach (var inner in ChosenOps(op.RequestTxn, path)) yield return inner;
            }
            else
            {
                yield return op;
            }
        }
    }

    private TxnResponse ExecuteTxn(TxnRequest txn, Dictionary<TxnRequest, bool> path, WriteBatch batch)
    {
        var succeeded = path[txn];
        var response = new TxnResponse { Succeeded = succeeded };
        foreach (var op in succeeded ? txn.Success : txn.Failure)
        {
            var result = new ResponseOp();
            switch (op.RequestCase)
            {
                case RequestOp.RequestOneofCase.RequestRange:
                    result.ResponseRange = RangeLocked(op.RequestRange, batch.ReadRevision);
                    break;
                case RequestOp.RequestOneofCase.RequestPut:
                    result.ResponsePut = Put(op.RequestPut, batch);
                    break;
                case RequestOp.RequestOneofCase.RequestDeleteRange:
                    result.ResponseDeleteRange = DeleteRange(op.RequestDeleteRange, batch);
                    break;
                case RequestOp.RequestOneofCase.RequestTxn:
                    var inner = ExecuteTxn(op.RequestTxn, path, batch);
                    inner.Header = Header(batch.ReadRevision);
                    result.ResponseTxn = inner;
                    break;
            }
            response.Responses.Add(result);
        }
        return response;
    }
}
