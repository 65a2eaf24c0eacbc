using Coordinator.Grains.Store;
using Etcdserverpb;
using Google.Protobuf;
using Xunit;
using static Coordinator.Tests.Store.TestStore;

namespace Coordinator.Tests.Store;

public class RangeTests
{
    private static TestStore Seeded()
    {
        var s = new TestStore();
        s.Put("a", "1");   // rev 2
        s.Put("b", "22");  // rev 3
        s.Put("c", "3");   // rev 4
        s.Put("b", "0");   // rev 5
        s.Put("d", "4");   // rev 6
        return s;
    }

    [Fact]
    public void EmptyStoreIsAtRevisionOneAndFirstWriteMakesTwo()
    {
        var s = new TestStore();
        Assert.Equal(1, s.Store.CurrentRevision);
        Assert.Equal(1, s.Get("a").Header.Revision);
        Assert.Equal(2, s.Put("a", "x").Header.Revision);
    }

    [Fact]
    public void SingleKeyReturnsItsMetadata()
    {
        var s = Seeded();
        var kv = Assert.Single(s.Get("b").Kvs);
        Assert.Equal("0", kv.Value.ToStringUtf8());
        Assert.Equal(3, kv.CreateRevision);
        Assert.Equal(5, kv.ModRevision);
        Assert.Equal(2, kv.Version);
        Assert.Equal(6, s.Get("b").Header.Revision);
        Assert.Empty(s.Get("zz").Kvs);
    }

    [Fact]
    public void IntervalPrefixFromKeyAndAll()
    {
        var s = Seeded();
        s.Put("ab", "x");
        Assert.Equal(["a", "ab", "b"], Keys(s.Get("a", "c")));
        Assert.Equal(["a", "ab"], Keys(s.Get("a", "b"))); // prefix "a" = [a, b)
        Assert.Equal(["c", "d"], Keys(s.Get("c", "\0")));
        Assert.Equal(["a", "ab", "b", "c", "d"], Keys(s.Get("\0", "\0")));
        Assert.Empty(s.Get("c", "a").Kvs);
    }

    [Fact]
    public void KeysAreRawUnsignedBytes()
    {
        var s = new TestStore();
        byte[][] keys = [[0x00], [0x00, 0x00], [0x01], [0x7f], [0x80], [0xff], [0xff, 0x00]];
        foreach (var k in keys.Reverse()) s.Put(new PutRequest { Key = ByteString.CopyFrom(k), Value = B("v") });
        var all = s.Range(new RangeRequest { Key = ByteString.CopyFrom(0), RangeEnd = ByteString.CopyFrom(0) });
        Assert.Equal(keys.Select(Convert.ToHexString), all.Kvs.Select(kv => Convert.ToHexString(kv.Key.ToByteArray())));
        var nul = s.Range(new RangeRequest { Key = ByteString.CopyFrom(0, 0) });
        Assert.Equal([0, 0], Assert.Single(nul.Kvs).Key.ToByteArray());
    }

    [Fact]
    public void LimitSetsMoreAndCountIgnoresLimit()
    {
        var s = Seeded();
        var r = s.Range(new RangeRequest { Key = B("a"), RangeEnd = B("z"), Limit = 2 });
        Assert.Equal(["a", "b"], Keys(r));
        Assert.True(r.More);
        Assert.Equal(4, r.Count);
        var exact = s.Range(new RangeRequest { Key = B("a"), RangeEnd = B("z"), Limit = 4 });
        Assert.False(exact.More);
        Assert.Equal(4, exact.Kvs.Count);
    }

    [Fact]
    public void ReadsAtPastRevisions()
    {
        var s = Seeded();
        s.Delete("a"); // rev 7
        Assert.Equal("22", s.Value("b", 4));
        Assert.Equal("0", s.Value("b", 5));
        Assert.Null(s.Value("d", 5));
        Assert.Equal("1", s.Value("a", 6));
        Assert.Null(s.Value("a"));
        Assert.Equal(["a", "b", "c"], Keys(s.Get("a", "z", revision: 4)));
        Assert.Equal(7, s.Get("a", revision: 3).Header.Revision); // header is the current revision
        Assert.Empty(s.Get("a", revision: 1).Kvs);
    }

    [Fact]
    public void FutureRevisionIsRefused()
    {
        var s = Seeded();
        StoreAssert.Refused(() => s.Get("a", revision: 7), StatusCode.OutOfRange,
            "etcdserver: mvcc: required revision is a future revision");
    }

    [Fact]
    public void CompactedRevisionIsRefusedButTheCompactRevisionItselfIsReadable()
    {
        var s = Seeded();
        s.Compact(4);
        StoreAssert.Refused(() => s.Get("a", revision: 3), StatusCode.OutOfRange,
            "etcdserver: mvcc: required revision has been compacted");
        Assert.Equal("22", s.Value("b", 4));
    }

    [Fact]
    public void EmptyKeyIsRefused()
    {
        var s = Seeded();
        StoreAssert.Refused(() => s.Get(""), StatusCode.InvalidArgument, "etcdserver: key is not provided");
    }

    [Theory]
    [InlineData(RangeRequest.Types.SortTarget.Key, RangeRequest.Types.SortOrder.Descend, "d,c,b,a")]
    [InlineData(RangeRequest.Types.SortTarget.Key, RangeRequest.Types.SortOrder.Ascend, "a,b,c,d")]
    [InlineData(RangeRequest.Types.SortTarget.Version, RangeRequest.Types.SortOrder.Descend, "b,a,c,d")]
    [InlineData(RangeRequest.Types.SortTarget.Version, RangeRequest.Types.SortOrder.None, "a,c,d,b")]
    [InlineData(RangeRequest.Types.SortTarget.Create, RangeRequest.Types.SortOrder.Descend, "d,c,b,a")]
    [InlineData(RangeRequest.Types.SortTarget.Mod, RangeRequest.Types.SortOrder.Ascend, "a,c,b,d")]
    [InlineData(RangeRequest.Types.SortTarget.Mod, RangeRequest.Types.SortOrder.Descend, "d,b,c,a")]
    [InlineData(RangeRequest.Types.SortTarget.Value, RangeRequest.Types.SortOrder.Ascend, "b,a,c,d")]
    [InlineData(RangeRequest.Types.SortTarget.Value, RangeRequest.Types.SortOrder.Descend, "d,c,a,b")]
    public void SortsByTargetAndOrder(RangeRequest.Types.SortTarget target, RangeRequest.Types.SortOrder order, string expected)
    {
        var s = Seeded();
        var r = s.Range(new RangeRequest { Key = B("a"), RangeEnd = B("z"), SortTarget = target, SortOrder = order });
        Assert.Equal(expected, string.Join(",", Keys(r)));
    }

    [Fact]
    public void SortThenLimitTruncatesTheSortedResult()
    {
        var s = Seeded();
        var r = s.Range(new RangeRequest
        {
            Key = B("a"), RangeEnd = B("z"), Limit = 2,
            SortTarget = RangeRequest.Types.SortTarget.Key, SortOrder = RangeRequest.Types.SortOrder.Descend,
        });
        Assert.Equal(["d", "c"], Keys(r));
        Assert.True(r.More);
        Assert.Equal(4, r.Count);
    }

    [Fact]
    public void KeysOnlyAndCountOnly()
    {
        var s = Seeded();
        var keysOnly = s.Range(new RangeRequest { Key = B("a"), RangeEnd = B("z"), KeysOnly = true });
        Assert.All(keysOnly.Kvs, kv => Assert.True(kv.Value.IsEmpty));
        Assert.Equal(5, keysOnly.Kvs[1].ModRevision);
        var countOnly = s.Range(new RangeRequest { Key = B("a"), RangeEnd = B("z"), CountOnly = true });
        Assert.Empty(countOnly.Kvs);
        Assert.Equal(4, countOnly.Count);
    }

    [Fact]
    public void RevisionFiltersPruneButDoNotChangeCount()
    {
        var s = Seeded();
        RangeResponse R(long minMod = 0, long maxMod = 0, long minCreate = 0, long maxCreate = 0) =>
            s.Range(new RangeRequest
            {
                Key = B("a"), RangeEnd = B("z"),
                MinModRevision = minMod, MaxModRevision = maxMod, MinCreateRevision = minCreate, MaxCreateRevision = maxCreate,
            });
        Assert.Equal(["b", "d"], Keys(R(minMod: 5)));
        Assert.Equal(["a", "c"], Keys(R(maxMod: 4)));
        Assert.Equal(["c", "d"], Keys(R(minCreate: 4)));
        Assert.Equal(["a", "b"], Keys(R(maxCreate: 3)));
        Assert.Equal(["b"], Keys(R(minMod: 5, maxCreate: 3)));
        Assert.Equal(4, R(minMod: 5).Count);
    }

    [Fact]
    public void FiltersWithLimitFetchEverythingThenTruncate()
    {
        var s = Seeded();
        var r = s.Range(new RangeRequest { Key = B("a"), RangeEnd = B("z"), MinModRevision = 4, Limit = 1 });
        Assert.Equal(["b"], Keys(r));
        Assert.True(r.More);
    }

    [Fact]
    public void RangeThroughTheLogIsALinearizableRead()
    {
        var s = Seeded();
        var r = s.Apply<RangeResponse>(new Coordinator.Protocol.Internal.RaftRequest { Range = new RangeRequest { Key = B("a") } });
        Assert.Equal("1", Assert.Single(r.Kvs).Value.ToStringUtf8());
        Assert.Equal(6, r.Header.Revision);
    }
}
