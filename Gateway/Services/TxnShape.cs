using Etcdserverpb;

namespace Coordinator.Gateway.Services;

/// <summary>Classifies a txn by what its operations do, nested txns included.</summary>
public static class TxnShape
{
    public static bool IsReadOnly(TxnRequest txn) => AllOps(txn).All(op => op.RequestCase switch
    {
        RequestOp.RequestOneofCase.RequestRange => true,
        RequestOp.RequestOneofCase.RequestTxn => true,
        _ => false,
    });

    /// <summary>It has ranges and every one asked for a serializable read (etcd's rule for skipping the
    /// barrier; a txn of compares alone stays linearizable here).</summary>
    public static bool IsSerializable(TxnRequest txn)
    {
        var ranges = AllOps(txn).Where(op => op.RequestCase == RequestOp.RequestOneofCase.RequestRange).ToList();
        return ranges.Count > 0 && ranges.All(op => op.RequestRange.Serializable);
    }

    private static IEnumerable<RequestOp> AllOps(TxnRequest txn)
    {
        foreach (var op in txn.Success.Concat(txn.Failure))
        {
            yield return op;
            if (op.RequestCase != RequestOp.RequestOneofCase.RequestTxn) continue;
            foreach (var nested in AllOps(op.RequestTxn)) yield return nested;
        }
    }
}
