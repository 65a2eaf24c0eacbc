using Coordinator.Grains.Store;
using Etcdserverpb;
using Google.Protobuf;
using Xunit;
using static Coordinator.Tests.Store.TestStore;

namespace Coordinator.Tests.Store;

public class TxnTests
{
    private static Compare Cmp(string key, Compare.Types.CompareTarget target, Compare.Types.CompareResult result, object operand, string? end = null)
    {
        var c = new Compare { Key = B(key), Target = target, Result = result };
        if (end is not null) c.RangeEnd = B(end);
        switch (target)
        {
            case Compare.Types.CompareTarget.Value: c.Value = B((string)operand); break;
            case Compare.Types.CompareTarget.Version: c.Version = Convert.ToInt64(operand); break;
            case Compare.Types.CompareTarget.Create: c.CreateRevision = Convert.ToInt64(operand); break;
            case Compare.Types.CompareTarget.Mod: c.ModRevision = Convert.ToInt64(operand); break;
            case Compare.Types.CompareTarget.Lease: c.Lease = Convert.ToInt64(operand); break;
        }
        return c;
    }

    private static TestStore Seeded()
    {
        var s = new TestStore();
        s.Put("a", "1"); // 2
        s.Put("b", "2"); // 3
        s.Put("b", "3"); // 4
        return s;
    }

    [Theory]
    [InlineData("a", Compare.Types.CompareTarget.Value, Compare.Types.CompareResult.Equal, "1", true)]
    [InlineData("a", Compare.Types.CompareTarget.Value, Compare.Types.CompareResult.NotEqual, "1", false)]
    [InlineData("a", Compare.Types.CompareTarget.Value, Compare.Types.CompareResult.Greater, "0", true)]
    [InlineData("a", Compare.Types.CompareTarget.Value, Compare.Types.CompareResult.Less, "0", false)]
    [InlineData("b", Compare.Types.CompareTarget.Version, Compare.Types.CompareResult.Equal, 2, true)]
    [InlineData("b", Compare.Types.CompareTarget.Version, Compare.Types.CompareResult.Greater, 1, true)]
    [InlineData("b", Compare.Types.CompareTarget.Create, Compare.Types.CompareResult.Equal, 3, true)]
    [InlineData("b", Compare.Types.CompareTarget.Mod, Compare.Types.CompareResult.Less, 4, false)]
    [InlineData("b", Compare.Types.CompareTarget.Mod, Compare.Types.CompareResult.Equal, 4, true)]
    [InlineData("b", Compare.Types.CompareTarget.Lease, Compare.Types.CompareResult.Equal, 0, true)]
    [InlineData("missing", Compare.Types.CompareTarget.Version, Compare.Types.CompareResult.Equal, 0, true)]
    [InlineData("missing", Compare.Types.CompareTarget.Create, Compare.Types.CompareResult.Equal, 0, true)]
    [InlineData("missing", Compare.Types.CompareTarget.Value, Compare.Types.CompareResult.Equal, "", false)]
    [InlineData("missing", Compare.Types.CompareTarget.Value, Compare.Types.CompareResult.NotEqual, "x", false)]
    public void ComparesChooseTheBranch(string key, Compare.Types.CompareTarget target, Compare.Types.CompareResult result, object operand, bool expected)
    {
        var s = Seeded();
        var r = s.Txn(new TxnRequest
        {
            Compare = { Cmp(key, target, result, operand) },
            Success = { OpGet("a") },
            Failure = { OpGet("b") },
        });
        Assert.Equal(expected, r.Succeeded);
        Assert.Equal(expected ? "a" : "b", r.Responses[0].ResponseRange.Kvs[0].Key.ToStringUtf8());
        Assert.Equal(4, r.Header.Revision);
        Assert.Equal(4, s.Store.CurrentRevision);
    }

    [Fact]
    public void RangeCompareRequiresEveryKeyToMatch()
    {
        var s = Seeded();
        Assert.True(s.Txn(new TxnRequest { Compare = { Cmp("a", Compare.Types.CompareTarget.Version, Compare.Types.CompareResult.Greater, 0, "c") } }).Succeeded);
        Assert.False(s.Txn(new TxnRequest { Compare = { Cmp("a", Compare.Types.CompareTarget.Version, Compare.Types.CompareResult.Equal, 1, "c") } }).Succeeded);
        Assert.True(s.Txn(new TxnRequest { Compare = { Cmp("a", Compare.Types.CompareTarget.Mod, Compare.Types.CompareResult.Less, 5, "\0") } }).Succeeded);
        // An empty range compares as one missing key.
        Assert.True(s.Txn(new TxnRequest { Compare = { Cmp("x", Compare.Types.CompareTarget.Version, Compare.Types.CompareResult.Equal, 0, "z") } }).Succeeded);
    }

    [Fact]
    public void AllComparesMustHold()
    {
        var s = Seeded();
        var r = s.Txn(new TxnRequest
        {
            Compare =
            {
                Cmp("a", Compare.Types.CompareTarget.Value, Compare.Types.CompareResult.Equal, "1"),
                Cmp("b", Compare.Types.CompareTarget.Value, Compare.Types.CompareResult.Equal, "nope"),
            },
        });
        Assert.False(r.Succeeded);
    }

    [Fact]
    public void WritesShareOneRevisionWithSubRevisionsAndReadsSeeEarlierWrites()
    {
        var s = Seeded();
        s.Events.Clear();
        var r = s.Txn(new TxnRequest
        {
            Success = { OpPut("x", "1"), OpGet("x"), OpPut("y", "2"), OpDelete("a"), OpGet("\0", "\0") },
        });
        Assert.True(r.Succeeded);
        Assert.Equal(5, r.Header.Revision);
        Assert.Equal(5, r.Responses[0].ResponsePut.Header.Revision);
        Assert.Equal("1", r.Responses[1].ResponseRange.Kvs[0].Value.ToStringUtf8());
        Assert.Equal(5, r.Responses[1].ResponseRange.Header.Revision);
        Assert.Equal(1, r.Responses[3].ResponseDeleteRange.Deleted);
        Assert.Equal(["b", "x", "y"], Keys(r.Responses[4].ResponseRange));
        Assert.Equal(3, s.Events.Count);
        Assert.All(s.Events, e => Assert.Equal(5, e.Kv.ModRevision));
        Assert.Equal(5, s.Store.CurrentRevision);
    }

    [Fact]
    public void ReadOnlyTxnKeepsTheRevision()
    {
        var s = Seeded();
        var r = s.Txn(new TxnRequest { Success = { OpGet("a"), OpDelete("nothing") } });
        Assert.Equal(4, r.Header.Revision);
        Assert.Equal(4, r.Responses[1].ResponseDeleteRange.Header.Revision);
        Assert.Equal(4, s.Store.CurrentRevision);
    }

    [Fact]
    public void NestedTxnsFollowTheirOwnCompares()
    {
        var s = Seeded();
        var r = s.Txn(new TxnRequest
        {
            Success =
            {
                OpTxn(new TxnRequest
                {
                    Compare = { Cmp("a", Compare.Types.CompareTarget.Value, Compare.Types.CompareResult.Equal, "nope") },
                    Success = { OpPut("then", "1") },
                    Failure = { OpPut("else", "1") },
                }),
                OpPut("outer", "1"),
            },
        });
        Assert.True(r.Succeeded);
        Assert.False(r.Responses[0].ResponseTxn.Succeeded);
        Assert.Equal(5, r.Responses[0].ResponseTxn.Responses[0].ResponsePut.Header.Revision);
        Assert.Equal(["else", "outer"], Keys(s.Get("e", "p")));
        Assert.Empty(s.Get("then").Kvs);
    }

    [Fact]
    public void NestedComparesSeeTheStateBeforeTheTxn()
    {
        var s = Seeded();
        var r = s.Txn(new TxnRequest
        {
            Success =
            {
                OpPut("x", "new"),
                OpTxn(new TxnRequest
                {
                    Compare = { Cmp("x", Compare.Types.CompareTarget.Version, Compare.Types.CompareResult.Equal, 0) },
                    Success = { OpPut("saw-old", "1") },
                }),
            },
        });
        Assert.True(r.Responses[1].ResponseTxn.Succeeded);
        Assert.Equal("1", s.Value("saw-old"));
    }

    [Fact]
    public void PutPrevKvAndIgnoreValueInsideATxn()
    {
        var s = Seeded();
        var r = s.Txn(new TxnRequest
        {
            Success =
            {
                new RequestOp { RequestPut = new PutRequest { Key = B("a"), IgnoreValue = true, PrevKv = true } },
            },
        });
        Assert.Equal("1", r.Responses[0].ResponsePut.PrevKv.Value.ToStringUtf8());
        Assert.Equal(2, Assert.Single(s.Get("a").Kvs).Version);
    }

    [Fact]
    public void ChecksOnTheChosenBranchRefuseTheWholeTxn()
    {
        var s = Seeded();
        StoreAssert.Refused(() => s.Txn(new TxnRequest { Success = { OpPut("x", "1"), OpPut("y", "1", lease: 42) } }),
            StatusCode.NotFound, "etcdserver: requested lease not found");
        StoreAssert.Refused(() => s.Txn(new TxnRequest
            {
                Success = { OpPut("x", "1"), new RequestOp { RequestPut = new PutRequest { Key = B("nope"), IgnoreValue = true } } },
            }),
            StatusCode.InvalidArgument, "etcdserver: key not found");
        StoreAssert.Refused(() => s.Txn(new TxnRequest { Success = { OpPut("x", "1"), OpGet("a", revision: 99) } }),
            StatusCode.OutOfRange, "etcdserver: mvcc: required revision is a future revision");
        s.Compact(3);
        StoreAssert.Refused(() => s.Txn(new TxnRequest { Success = { OpPut("x", "1"), OpGet("a", revision: 2) } }),
            StatusCode.OutOfRange, "etcdserver: mvcc: required revision has been compacted");
        Assert.Empty(s.Get("x").Kvs);
        Assert.Equal(4, s.Store.CurrentRevision);
        // The branch not taken is not checked.
        Assert.False(s.Txn(new TxnRequest
        {
            Compare = { Cmp("a", Compare.Types.CompareTarget.Value, Compare.Types.CompareResult.Equal, "nope") },
            Success = { OpPut("y", "1", lease: 42) },
        }).Succeeded);
    }

    [Fact]
    public void PastRevisionReadInsideATxn()
    {
        var s = Seeded();
        var r = s.Txn(new TxnRequest { Success = { OpGet("b", revision: 3) } });
        Assert.Equal("2", r.Responses[0].ResponseRange.Kvs[0].Value.ToStringUtf8());
    }
}
