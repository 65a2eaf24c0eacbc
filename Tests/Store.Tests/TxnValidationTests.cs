using Coordinator.Grains.Store;
using Etcdserverpb;
using Xunit;
using static Coordinator.Tests.Store.TestStore;

namespace Coordinator.Tests.Store;

public class TxnValidationTests
{
    private const string Duplicate = "etcdserver: duplicate key given in txn request";

    private static void RefusedAsDuplicate(TxnRequest txn)
    {
        var s = new TestStore();
        StoreAssert.Refused(() => s.Txn(txn), StatusCode.InvalidArgument, Duplicate);
        StoreAssert.Refused(() => RequestValidator.Default.ValidateTxn(txn), StatusCode.InvalidArgument, Duplicate);
        Assert.Equal(1, s.Store.CurrentRevision);
    }

    private static void Accepted(TxnRequest txn)
    {
        RequestValidator.Default.ValidateTxn(txn);
        new TestStore().Txn(txn);
    }

    [Fact]
    public void TwoPutsOfOneKey() => RefusedAsDuplicate(new TxnRequest { Success = { OpPut("k", "1"), OpPut("k", "2") } });

    [Fact]
    public void PutInsideADeletedRange() => RefusedAsDuplicate(new TxnRequest { Success = { OpDelete("a", "z"), OpPut("k", "2") } });

    [Fact]
    public void PutThenDeleteOfTheSameKey() => RefusedAsDuplicate(new TxnRequest { Failure = { OpPut("k", "1"), OpDelete("k") } });

    [Fact]
    public void NestedPutUnderAParentDelete() =>
        RefusedAsDuplicate(new TxnRequest { Success = { OpDelete("k"), OpTxn(new TxnRequest { Success = { OpPut("k", "1") } }) } });

    [Fact]
    public void ParentPutOverANestedDelete() =>
        RefusedAsDuplicate(new TxnRequest { Success = { OpPut("k", "1"), OpTxn(new TxnRequest { Failure = { OpDelete("a", "z") } }) } });

    [Fact]
    public void ParentPutOverANestedPut() =>
        RefusedAsDuplicate(new TxnRequest { Success = { OpPut("k", "1"), OpTxn(new TxnRequest { Success = { OpPut("k", "2") } }) } });

    [Fact]
    public void PutsInTwoSiblingNestedTxns() =>
        RefusedAsDuplicate(new TxnRequest
        {
            Success =
            {
                OpTxn(new TxnRequest { Success = { OpPut("k", "1") } }),
                OpTxn(new TxnRequest { Failure = { OpPut("k", "2") } }),
            },
        });

    [Fact]
    public void PutInADeleteFromKeyRange() => RefusedAsDuplicate(new TxnRequest { Success = { OpDelete("a", "\0"), OpPut("k", "1") } });

    [Fact]
    public void SameKeyInSuccessAndFailureIsFine() =>
        Accepted(new TxnRequest { Success = { OpPut("k", "1") }, Failure = { OpPut("k", "2") } });

    [Fact]
    public void SameKeyInThenAndElseOfANestedTxnIsFine() =>
        Accepted(new TxnRequest { Success = { OpTxn(new TxnRequest { Success = { OpPut("k", "1") }, Failure = { OpPut("k", "2") } }) } });

    [Fact]
    public void OverlappingDeletesAndReadsAreFine() =>
        Accepted(new TxnRequest { Success = { OpDelete("a", "m"), OpDelete("c", "z"), OpGet("k"), OpPut("zz", "1") } });

    [Fact]
    public void PutOutsideTheDeletedRangeIsFine() => Accepted(new TxnRequest { Success = { OpDelete("a", "k"), OpPut("k", "1") } });

    [Fact]
    public void EtcdAcceptsAPutInOneNestedTxnAndADeleteInALaterSibling()
    {
        var s = new TestStore();
        s.Txn(new TxnRequest
        {
            Success = { OpTxn(new TxnRequest { Success = { OpPut("k", "1") } }), OpTxn(new TxnRequest { Success = { OpDelete("k") } }) },
        });
        Assert.Empty(s.Get("k").Kvs);
        Assert.Equal([(Mvccpb.Event.Types.EventType.Put, 2L), (Mvccpb.Event.Types.EventType.Delete, 2L)],
            s.Events.Select(e => (e.Type, e.Kv.ModRevision)));
        Assert.Equal("1", s.Events[1].PrevKv.Value.ToStringUtf8());
    }

    [Fact]
    public void TooManyOperations()
    {
        const string text = "etcdserver: too many operations in txn request";
        var s = new TestStore(new StoreOptions { MaxTxnOps = 3 });
        var ok = new TxnRequest { Success = { OpPut("a", "1"), OpPut("b", "1"), OpPut("c", "1") } };
        s.Txn(ok);
        TxnRequest WithCompares(int n)
        {
            var t = new TxnRequest();
            for (var i = 0; i < n; i++) t.Compare.Add(new Compare { Key = B("a") });
            return t;
        }
        StoreAssert.Refused(() => s.Txn(new TxnRequest { Success = { OpPut("a", "1"), OpPut("b", "1"), OpPut("c", "1"), OpPut("d", "1") } }),
            StatusCode.InvalidArgument, text);
        StoreAssert.Refused(() => s.Txn(new TxnRequest { Failure = { OpGet("a"), OpGet("a"), OpGet("a"), OpGet("a") } }), StatusCode.InvalidArgument, text);
        StoreAssert.Refused(() => s.Txn(WithCompares(4)), StatusCode.InvalidArgument, text);
        // A nested txn gets what its parent leaves: parent uses 2 of 3, the child may use 1.
        StoreAssert.Refused(() => s.Txn(new TxnRequest
            {
                Success = { OpGet("a"), OpTxn(new TxnRequest { Success = { OpGet("a"), OpGet("b") } }) },
            }),
            StatusCode.InvalidArgument, text);
        s.Txn(new TxnRequest { Success = { OpGet("a"), OpTxn(new TxnRequest { Success = { OpGet("a") } }) } });
    }

    [Fact]
    public void DefaultMaxTxnOpsIs128()
    {
        var txn = new TxnRequest();
        for (var i = 0; i < 128; i++) txn.Success.Add(OpPut($"k{i}", "v"));
        new TestStore().Txn(txn);
        txn.Success.Add(OpPut("one-more", "v"));
        StoreAssert.Refused(() => new TestStore().Txn(txn), StatusCode.InvalidArgument, "etcdserver: too many operations in txn request");
    }

    [Fact]
    public void EmptyKeysAnywhereAreRefused()
    {
        const string text = "etcdserver: key is not provided";
        var s = new TestStore();
        StoreAssert.Refused(() => s.Txn(new TxnRequest { Compare = { new Compare { Key = B("") } } }), StatusCode.InvalidArgument, text);
        StoreAssert.Refused(() => s.Txn(new TxnRequest { Success = { OpGet("") } }), StatusCode.InvalidArgument, text);
        StoreAssert.Refused(() => s.Txn(new TxnRequest { Failure = { OpPut("", "v") } }), StatusCode.InvalidArgument, text);
        StoreAssert.Refused(() => s.Txn(new TxnRequest { Success = { OpDelete("") } }), StatusCode.InvalidArgument, text);
        StoreAssert.Refused(() => s.Txn(new TxnRequest { Success = { OpTxn(new TxnRequest { Success = { OpPut("", "v") } }) } }),
            StatusCode.InvalidArgument, text);
    }

    [Fact]
    public void PutFlagConflictsInsideATxn()
    {
        var s = new TestStore();
        StoreAssert.Refused(() => s.Txn(new TxnRequest
            {
                Success = { new RequestOp { RequestPut = new PutRequest { Key = B("k"), Value = B("v"), IgnoreValue = true } } },
            }),
            StatusCode.InvalidArgument, "etcdserver: value is provided");
        StoreAssert.Refused(() => s.Txn(new TxnRequest
            {
                Success = { new RequestOp { RequestPut = new PutRequest { Key = B("k"), Lease = 1, IgnoreLease = true } } },
            }),
            StatusCode.InvalidArgument, "etcdserver: lease is provided");
    }

    [Fact]
    public void AnEmptyOpIsRefusedAsKeyNotFound()
    {
        var s = new TestStore();
        StoreAssert.Refused(() => s.Txn(new TxnRequest { Success = { new RequestOp() } }), StatusCode.InvalidArgument, "etcdserver: key not found");
    }
}
