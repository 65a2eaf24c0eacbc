using Etcdserverpb;

namespace Coordinator.Grains.Store;

/// <summary>
/// Refuses transactions that would write one key twice, with etcd's overlap rules, applied to the
/// success and the failure branch separately:
/// two puts of one key conflict; a put inside a range deleted at the same or an enclosing level
/// conflicts; puts in the then/else branches of one nested txn may repeat each other (only one runs).
/// Deviation: a from-key delete (range_end "\0") counts as unbounded here; etcd 3.4's interval check
/// treats it as empty.
/// </summary>
internal static class TxnConflictChecker
{
    public static void Check(TxnRequest txn)
    {
        Collect(txn.Success);
        Collect(txn.Failure);
    }

    private static (HashSet<byte[]> Puts, List<KeyRange> Deletes) Collect(IReadOnlyList<RequestOp> ops)
    {
        var deletes = new List<KeyRange>();
        foreach (var op in ops)
        {
            if (op.RequestCase == RequestOp.RequestOneofCase.RequestDeleteRange)
                deletes.Add(KeyRange.From(op.RequestDeleteRange.Key, op.RequestDeleteRange.RangeEnd));
        }

        var puts = new HashSet<byte[]>(ByteKeyComparer.Instance);
        foreach (var op in ops)
        {
            if (op.RequestCase != RequestOp.RequestOneofCase.RequestTxn) continue;
            var (thenPuts, thenDeletes) = Collect(op.RequestTxn.Success);
            var (elsePuts, elseDeletes) = Collect(op.RequestTxn.Failure);
            foreach (var key in thenPuts)
            {
                if (puts.Contains(key) || IsDeleted(deletes, key)) throw StoreErrors.DuplicateKey();
                puts.Add(key);
            }
            foreach (var key in elsePuts)
            {
                if (puts.Contains(key) && !thenPuts.Contains(key)) throw StoreErrors.DuplicateKey();
                if (IsDeleted(deletes, key)) throw StoreErrors.DuplicateKey();
                puts.Add(key);
            }
            deletes.AddRange(thenDeletes);
            deletes.AddRange(elseDeletes);
        }

        foreach (var op in ops)
        {
            if (op.RequestCase != RequestOp.RequestOneofCase.RequestPut) continue;
            var key = op.RequestPut.Key.ToByteArray();
            if (puts.Contains(key) || IsDeleted(deletes, key)) throw StoreErrors.DuplicateKey();
            puts.Add(key);
        }
        return (puts, deletes);
    }

    private static bool IsDeleted(List<KeyRange> deletes, byte[] key)
    {
        foreach (var range in deletes)
        {
            if (range.Contains(key)) return true;
        }
        return false;
    }
}
