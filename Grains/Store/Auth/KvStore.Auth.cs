using Coordinator.Grains.Store.Auth;
using Coordinator.Protocol.Internal;
using Etcdserverpb;

namespace Coordinator.Grains.Store;

/// <summary>
/// The permission checks etcd's authApplierV3 makes when it applies an entry, with the proposer's user and auth
/// revision from the entry (<see cref="RaftRequest.AuthHeader"/>): every member decides the same. Called under
/// the write lock before the command changes anything.
/// </summary>
public sealed partial class KvStore
{
    /// <summary>Users, roles and permissions, replicated through the same log (RaftRequest fields 40-49).</summary>
    public AuthStore Auth { get; } = new();

    /// <summary>Throws the refusal when the entry's user may not run the command.</summary>
    private void CheckPermission(RaftRequest request)
    {
        if (!Auth.Enabled) return;
        var who = request.AuthHeader;
        var denied = request.CommandCase switch
        {
            RaftRequest.CommandOneofCase.Range => Auth.CheckRange(who, request.Range.Key.ToByteArray(), request.Range.RangeEnd.ToByteArray()),
            RaftRequest.CommandOneofCase.Put => CheckPut(who, request.Put),
            RaftRequest.CommandOneofCase.DeleteRange => CheckDeleteRange(who, request.DeleteRange),
            RaftRequest.CommandOneofCase.Txn => CheckTxn(who, request.Txn),
            RaftRequest.CommandOneofCase.LeaseRevoke => CheckLeaseKeys(who, request.LeaseRevoke.ID),
            _ => null,
        };
        if (denied is not null) throw denied;
    }

    private StoreException? CheckPut(AuthRequestHeader? who, PutRequest put) =>
        Auth.CheckPut(who, put.Key.ToByteArray())
        ?? CheckLeaseKeys(who, put.Lease)
        ?? (put.PrevKv ? Auth.CheckRange(who, put.Key.ToByteArray(), []) : null);

    private StoreException? CheckDeleteRange(AuthRequestHeader? who, DeleteRangeRequest delete) =>
        Auth.CheckDeleteRange(who, delete.Key.ToByteArray(), delete.RangeEnd.ToByteArray())
        ?? (delete.PrevKv ? Auth.CheckRange(who, delete.Key.ToByteArray(), delete.RangeEnd.ToByteArray()) : null);

    /// <summary>etcd's checkLeasePuts: whoever attaches to or revokes a lease needs write on every key it holds.</summary>
    private StoreException? CheckLeaseKeys(AuthRequestHeader? who, long leaseId)
    {
        if (leaseId == 0 || _leases.Find(leaseId) is not { } lease) return null;
        foreach (var key in lease.Keys)
            if (Auth.CheckPut(who, key) is { } denied) return denied;
        return null;
    }

    /// <summary>etcd's checkTxnAuth: read on every compare, and every operation of both branches (nested txns too:
    /// etcd 3.4 skips them, which would let a nested txn escape the check).</summary>
    private StoreException? CheckTxn(AuthRequestHeader? who, TxnRequest txn)
    {
        foreach (var compare in txn.Compare)
            if (Auth.CheckRange(who, compare.Key.ToByteArray(), compare.RangeEnd.ToByteArray()) is { } denied) return denied;
        return CheckOps(who, txn.Success) ?? CheckOps(who, txn.Failure);
    }

    private StoreException? CheckOps(AuthRequestHeader? who, IEnumerable<RequestOp> ops)
    {
        foreach (var op in ops)
        {
            var denied = op.RequestCase switch
            {
                RequestOp.RequestOneofCase.RequestRange => Auth.CheckRange(who, op.RequestRange.Key.ToByteArray(), op.RequestRange.RangeEnd.ToByteArray()),
                RequestOp.RequestOneofCase.RequestPut => Auth.CheckPut(who, op.RequestPut.Key.ToByteArray()),
                RequestOp.RequestOneofCase.RequestDeleteRange =>
                    (op.RequestDeleteRange.PrevKv ? Auth.CheckRange(who, op.RequestDeleteRange.Key.ToByteArray(), op.RequestDeleteRange.RangeEnd.ToByteArray()) : null)
                    ?? Auth.CheckDeleteRange(who, op.RequestDeleteRange.Key.ToByteArray(), op.RequestDeleteRange.RangeEnd.ToByteArray()),
                RequestOp.RequestOneofCase.RequestTxn => CheckTxn(who, op.RequestTxn),
                _ => null,
            };
            if (denied is not null) return denied;
        }
        return null;
    }

    /// <summary>For a read served outside the log (a read-only txn): the same checks as at apply.</summary>
    public StoreException? CheckTxnPermission(AuthRequestHeader? who, TxnRequest txn) => Auth.Enabled ? CheckTxn(who, txn) : null;
}
