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
    public void CompactionGivesValueMemoryBackWithoutChangingAnyValue()
    {
        var s = new TestStore(valueChunkBytes: 256);
        static string V(int key, int round) => $"value of k{key} in round {round}".PadRight(40, '.');
        for (var round = 0; round < 50; round++)
        {
            for (var key = 0; key < 10; key++) s.Put($"k{key}", V(key, round));
            s.Put($"static{round:D2}", V(-1, round)); // never overwritten: keeps a live value in most chunks
        }
        var before = s.Get("k", "l");                       // wraps the stored bytes of the last round
        var atRound10 = s.Get("k", "l", revision: 1 + 11 * 10 + 10);
        var chunkBytesBefore = s.Store.MeasureValueBytes().ChunkBytes;

        s.Compact(s.Store.CurrentRevision);

        var (live, retained, chunkBytes) = s.Store.MeasureValueBytes();
        Assert.Equal(retained, live);
        Assert.Equal(60 * 40, live);
        Assert.True(chunkBytes <= 2 * live, $"{chunkBytes} bytes of chunks kept for {live} live (was {chunkBytesBefore})");
        for (var key = 0; key < 10; key++) Assert.Equal(V(key, 49), s.Value($"k{key}"));
        for (var round = 0; round < 50; round++) Assert.Equal(V(-1, round), s.Value($"static{round:D2}"));
        // Responses taken before the compaction still read what they read.
        Assert.Equal(Enumerable.Range(0, 10).Select(k => V(k, 49)), before.Kvs.Select(kv => kv.Value.ToStringUtf8()));
        Assert.Equal(Enumerable.Range(0, 10).Select(k => V(k, 10)), atRound10.Kvs.Select(kv => kv.Value.ToStringUtf8()));
        // And the store keeps working: new values land in fresh space.
        s.Put("k0", V(0, 50));
        Assert.Equal(V(0, 50), s.Value("k0"));
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
