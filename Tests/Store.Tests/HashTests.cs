using Coordinator.Grains.Store;
using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Xunit;
using static Coordinator.Tests.Store.TestStore;

namespace Coordinator.Tests.Store;

public class HashTests
{
    private static List<RaftRequest> Script(int seed)
    {
        var random = new Random(seed);
        var ops = new List<RaftRequest> { new() { LeaseGrant = new LeaseGrantRequest { TTL = 10, ID = 1 } } };
        for (var i = 0; i < 400; i++)
        {
            var key = B($"k{random.Next(30)}");
            ops.Add(random.Next(10) switch
            {
                < 6 => new RaftRequest { Put = new PutRequest { Key = key, Value = B($"v{i}"), Lease = random.Next(4) == 0 ? 1 : 0 } },
                < 8 => new RaftRequest { DeleteRange = new DeleteRangeRequest { Key = key, RangeEnd = B($"k{random.Next(30)}") } },
                8 => new RaftRequest { Compaction = new CompactionRequest { Revision = i / 2 } },
                _ => new RaftRequest { LeaseGrant = new LeaseGrantRequest { TTL = 5 } },
            });
        }
        return ops;
    }

    [Fact]
    public void TwoStoresFedTheSameEntriesHashAlike()
    {
        var a = new KvStore();
        var b = new KvStore();
        ulong index = 1;
        foreach (var op in Script(7))
        {
            a.Apply(op, index);
            b.Apply(op.Clone(), index++);
            Assert.Equal(a.HashKv(0), b.HashKv(0));
        }
        Assert.Equal(a.Hash(), b.Hash());
    }

    [Fact]
    public void DifferentHistoriesHashDifferently()
    {
        var a = new TestStore();
        var b = new TestStore();
        a.Put("k", "1");
        b.Put("k", "2");
        Assert.NotEqual(a.Store.HashKv(0).Hash, b.Store.HashKv(0).Hash);
    }

    [Fact]
    public void HashAtAPastRevisionIgnoresLaterChanges()
    {
        var a = new TestStore();
        a.Put("k", "1");
        a.Put("k", "2");
        var at3 = a.Store.HashKv(3);
        a.Put("x", "3");
        Assert.Equal(at3.Hash, a.Store.HashKv(3).Hash);
        Assert.Equal(4, a.Store.HashKv(3).CurrentRevision);
    }

    [Fact]
    public void HashKvRevisionErrors()
    {
        var a = new TestStore();
        a.Put("k", "1");
        a.Put("k", "2");
        Assert.Equal(-1, a.Store.HashKv(0).CompactRevision);
        a.Compact(2);
        Assert.Equal(2, a.Store.HashKv(0).CompactRevision);
        StoreAssert.Refused(() => a.Store.HashKv(2), StatusCode.OutOfRange, "etcdserver: mvcc: required revision has been compacted");
        StoreAssert.Refused(() => a.Store.HashKv(4), StatusCode.OutOfRange, "etcdserver: mvcc: required revision is a future revision");
    }

    [Fact]
    public void Crc32CMatchesTheStandardCheckValue()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
    }
}
