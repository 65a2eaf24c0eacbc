using Coordinator.Grains.Store;
using Xunit;

namespace Coordinator.Tests.Store;

public class CompactTests
{
    [Fact]
    public void CompactionDropsHistoryBelowButKeepsTheStateAtTheRevision()
    {
        var s = new TestStore();
        s.Put("a", "1"); // 2
        s.Put("a", "2"); // 3
        s.Put("b", "1"); // 4
        s.Delete("b");   // 5
        s.Put("a", "3"); // 6
        s.Compact(5);
        Assert.Equal("2", s.Value("a", 5));
        Assert.Null(s.Value("b", 5));
        Assert.Equal("3", s.Value("a"));
        Assert.Equal(5, s.Store.CompactRevision);
        Assert.Equal(1, s.Store.IndexedKeyCount); // b's tombstone is gone
        var kv = Assert.Single(s.Get("a").Kvs);
        Assert.Equal((2L, 3L), (kv.CreateRevision, kv.Version));
    }

    [Fact]
    public void CompactionKeepsRevisionAndHeader()
    {
        var s = new TestStore();
        s.Put("a", "1");
        s.Put("a", "2");
        var r = s.Compact(3);
        Assert.Equal(3, r.Header.Revision);
        Assert.Equal(3, s.Store.CurrentRevision);
        Assert.Equal(4, s.Put("a", "3").Header.Revision);
    }

    [Fact]
    public void CompactingTwiceOrBelowIsRefused()
    {
        var s = new TestStore();
        s.Put("a", "1");
        s.Put("a", "2");
        s.Compact(2);
        StoreAssert.Refused(() => s.Compact(2), StatusCode.OutOfRange, "etcdserver: mvcc: required revision has been compacted");
        StoreAssert.Refused(() => s.Compact(1), StatusCode.OutOfRange, "etcdserver: mvcc: required revision has been compacted");
        s.Compact(3);
    }

    [Fact]
    public void CompactingAFutureRevisionIsRefused()
    {
        var s = new TestStore();
        s.Put("a", "1");
        StoreAssert.Refused(() => s.Compact(3), StatusCode.OutOfRange, "etcdserver: mvcc: required revision is a future revision");
        Assert.Equal(-1, s.Store.CompactRevision);
    }

    [Fact]
    public void CompactionFreesKeysAndRebuildsTheIndex()
    {
        var s = new TestStore();
        for (var i = 0; i < 5000; i++) s.Put($"k{i:D5}", "v");
        s.Delete("k", "l");
        s.Put("k00042", "back");
        s.Compact(s.Store.CurrentRevision);
        Assert.Equal(1, s.Store.IndexedKeyCount);
        Assert.Equal(["k00042"], TestStore.Keys(s.Get("\0", "\0")));
        for (var i = 0; i < 100; i++) s.Put($"n{i:D3}", "v");
        Assert.Equal(101, s.Get("\0", "\0").Count);
    }
}
