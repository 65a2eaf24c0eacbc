using Coordinator.Grains.Store;
using Etcdserverpb;
using Google.Protobuf;
using Xunit;
using static Coordinator.Tests.Store.TestStore;

namespace Coordinator.Tests.Store;

public class HistoryTests
{
    private static TestStore Busy()
    {
        var s = new TestStore();
        s.Grant(10, 1);
        var random = new Random(3);
        for (var i = 0; i < 300; i++)
        {
            var key = $"k{random.Next(20):D2}";
            switch (random.Next(7))
            {
                case 0: s.Delete(key, $"k{random.Next(20):D2}"); break;
                case 1: s.Txn(new TxnRequest { Success = { OpPut(key, $"t{i}"), OpDelete("i", "j"), OpPut("j" + i % 3, "x") } }); break;
                case 2:
                    // etcd lets sibling nested txns put and then delete one key: two changes in one revision.
                    s.Txn(new TxnRequest
                    {
                        Success = { OpTxn(new TxnRequest { Success = { OpPut(key, "p") } }), OpTxn(new TxnRequest { Success = { OpDelete(key) } }) },
                    });
                    break;
                default: s.Put(key, $"v{i}", lease: random.Next(5) == 0 ? 1 : 0); break;
            }
        }
        s.Revoke(1);
        return s;
    }

    [Fact]
    public void ReplayEqualsTheEventsApplyEmitted()
    {
        var s = Busy();
        foreach (var start in new long[] { 1, 2, 50, 150, s.Store.CurrentRevision, s.Store.CurrentRevision + 1 })
        {
            var expected = s.Events.Where(e => e.Kv.ModRevision >= start).ToList();
            Assert.Equal(expected, s.Store.EventsSince(B("\0"), B("\0"), start));
        }
    }

    [Fact]
    public void ReplayFiltersByRangeAndBoundsTheCount()
    {
        var s = Busy();
        var expected = s.Events.Where(e => e.Kv.ModRevision >= 100 && string.CompareOrdinal(e.Kv.Key.ToStringUtf8(), "k05") >= 0
            && string.CompareOrdinal(e.Kv.Key.ToStringUtf8(), "k10") < 0).ToList();
        Assert.Equal(expected, s.Store.EventsSince(B("k05"), B("k10"), 100));
        Assert.Equal(expected.Take(3), s.Store.EventsSince(B("k05"), B("k10"), 100, maxEvents: 3));
        Assert.Equal(s.Events.Where(e => e.Kv.Key.ToStringUtf8() == "k07"), s.Store.EventsSince(B("k07"), ByteString.Empty, 1));
    }

    [Fact]
    public void ReplayAfterCompactionKeepsLaterEventsAndRefusesEarlierStarts()
    {
        var s = Busy();
        s.Compact(200);
        var expected = s.Events.Where(e => e.Kv.ModRevision > 200).ToList();
        Assert.Equal(expected, s.Store.EventsSince(B("\0"), B("\0"), 201));
        StoreAssert.Refused(() => s.Store.EventsSince(B("\0"), B("\0"), 199), StatusCode.OutOfRange,
            "etcdserver: mvcc: required revision has been compacted");
    }
}
