using Coordinator.Grains.Store;
using Etcdserverpb;
using Xunit;
using static Coordinator.Tests.Store.TestStore;

namespace Coordinator.Tests.Store;

public class PutDeleteTests
{
    [Fact]
    public void PutTracksCreateModAndVersion()
    {
        var s = new TestStore();
        s.Put("k", "1");
        s.Put("k", "2");
        var kv = Assert.Single(s.Get("k").Kvs);
        Assert.Equal((2L, 3L, 2L), (kv.CreateRevision, kv.ModRevision, kv.Version));
    }

    [Fact]
    public void DeleteLeavesATombstoneAndRecreateResetsVersion()
    {
        var s = new TestStore();
        s.Put("k", "1");           // 2
        s.Put("k", "2");           // 3
        s.Delete("k");             // 4
        s.Put("k", "3");           // 5
        var kv = Assert.Single(s.Get("k").Kvs);
        Assert.Equal((5L, 5L, 1L), (kv.CreateRevision, kv.ModRevision, kv.Version));
        Assert.Empty(s.Get("k", revision: 4).Kvs);
        Assert.Equal("2", s.Value("k", 3));
    }

    [Fact]
    public void PutReturnsPreviousOnlyWhenAskedAndPresent()
    {
        var s = new TestStore();
        Assert.Null(s.Put("k", "1", prevKv: true).PrevKv);
        var r = s.Put("k", "2", prevKv: true);
        Assert.Equal("1", r.PrevKv.Value.ToStringUtf8());
        Assert.Equal(2, r.PrevKv.ModRevision);
        Assert.Null(s.Put("k", "3").PrevKv);
    }

    [Fact]
    public void EmptyValueIsAValue()
    {
        var s = new TestStore();
        s.Put("k", "");
        var kv = Assert.Single(s.Get("k").Kvs);
        Assert.True(kv.Value.IsEmpty);
        Assert.Equal(1, kv.Version);
    }

    [Fact]
    public void IgnoreValueKeepsValueAndIgnoreLeaseKeepsLease()
    {
        var s = new TestStore();
        var lease = s.Grant(60, 7).ID;
        s.Put("k", "v", lease);
        s.Put(new PutRequest { Key = B("k"), IgnoreValue = true });
        var kv = Assert.Single(s.Get("k").Kvs);
        Assert.Equal(("v", 0L, 2L), (kv.Value.ToStringUtf8(), kv.Lease, kv.Version));

        s.Put("k", "v2", lease);
        s.Put(new PutRequest { Key = B("k"), Value = B("v3"), IgnoreLease = true });
        kv = Assert.Single(s.Get("k").Kvs);
        Assert.Equal(("v3", lease), (kv.Value.ToStringUtf8(), kv.Lease));
    }

    [Fact]
    public void IgnoreFlagsOnAMissingKeyAreRefused()
    {
        var s = new TestStore();
        StoreAssert.Refused(() => s.Put(new PutRequest { Key = B("k"), IgnoreValue = true }),
            StatusCode.InvalidArgument, "etcdserver: key not found");
        StoreAssert.Refused(() => s.Put(new PutRequest { Key = B("k"), Value = B("v"), IgnoreLease = true }),
            StatusCode.InvalidArgument, "etcdserver: key not found");
        s.Put("k", "v");
        s.Delete("k");
        StoreAssert.Refused(() => s.Put(new PutRequest { Key = B("k"), IgnoreValue = true }),
            StatusCode.InvalidArgument, "etcdserver: key not found");
        Assert.Equal(3, s.Store.CurrentRevision);
    }

    [Fact]
    public void IgnoreFlagsCombinedWithAValueOrLeaseAreRefused()
    {
        var s = new TestStore();
        s.Put("k", "v");
        StoreAssert.Refused(() => s.Put(new PutRequest { Key = B("k"), Value = B("x"), IgnoreValue = true }),
            StatusCode.InvalidArgument, "etcdserver: value is provided");
        StoreAssert.Refused(() => s.Put(new PutRequest { Key = B("k"), Lease = 5, IgnoreLease = true }),
            StatusCode.InvalidArgument, "etcdserver: lease is provided");
    }

    [Fact]
    public void PutWithAnUnknownLeaseIsRefused()
    {
        var s = new TestStore();
        StoreAssert.Refused(() => s.Put("k", "v", lease: 99), StatusCode.NotFound, "etcdserver: requested lease not found");
        Assert.Empty(s.Get("k").Kvs);
        Assert.Equal(1, s.Store.CurrentRevision);
    }

    [Fact]
    public void EmptyKeyIsRefusedForPutAndDelete()
    {
        var s = new TestStore();
        StoreAssert.Refused(() => s.Put("", "v"), StatusCode.InvalidArgument, "etcdserver: key is not provided");
        StoreAssert.Refused(() => s.Delete(""), StatusCode.InvalidArgument, "etcdserver: key is not provided");
    }

    [Fact]
    public void DeleteRangeCountsAndReturnsPrevious()
    {
        var s = new TestStore();
        s.Put("a", "1");
        s.Put("b", "2");
        s.Put("c", "3");
        var r = s.Delete("a", "c", prevKv: true);
        Assert.Equal(2, r.Deleted);
        Assert.Equal(["a", "b"], r.PrevKvs.Select(kv => kv.Key.ToStringUtf8()));
        Assert.Equal(5, r.Header.Revision);
        Assert.Equal(["c"], Keys(s.Get("\0", "\0")));
        Assert.Empty(s.Delete("a", "c", prevKv: false).PrevKvs);
    }

    [Fact]
    public void DeletingNothingDoesNotAdvanceTheRevision()
    {
        var s = new TestStore();
        s.Put("a", "1");
        var r = s.Delete("zz");
        Assert.Equal(0, r.Deleted);
        Assert.Equal(2, r.Header.Revision);
        Assert.Equal(2, s.Store.CurrentRevision);
    }

    [Fact]
    public void DeleteFromKeyAndDeleteAll()
    {
        var s = new TestStore();
        foreach (var k in new[] { "a", "b", "c" }) s.Put(k, k);
        Assert.Equal(2, s.Delete("b", "\0").Deleted);
        Assert.Equal(1, s.Delete("\0", "\0").Deleted);
        Assert.Equal(0, s.Get("\0", "\0").Count);
    }

    [Fact]
    public void DeleteRangeUsesOneRevisionWithSubRevisions()
    {
        var s = new TestStore();
        s.Put("a", "1");
        s.Put("b", "2");
        s.Events.Clear();
        s.Delete("a", "z");
        Assert.All(s.Events, e => Assert.Equal(4, e.Kv.ModRevision));
        Assert.Equal(2, s.Events.Count);
    }
}
