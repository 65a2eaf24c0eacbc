using Etcdserverpb;
using Mvccpb;
using Xunit;
using static Coordinator.Tests.Store.TestStore;

namespace Coordinator.Tests.Store;

public class EventTests
{
    [Fact]
    public void PutAndDeleteEventsCarryRevisionKvAndPrevKv()
    {
        var s = new TestStore();
        s.Put("k", "1");
        s.Put("k", "2");
        s.Delete("k");
        var e = s.Events;
        Assert.Equal(3, e.Count);
        Assert.Equal((Event.Types.EventType.Put, 2L, "1"), (e[0].Type, e[0].Kv.ModRevision, e[0].Kv.Value.ToStringUtf8()));
        Assert.Null(e[0].PrevKv);
        Assert.Equal("1", e[1].PrevKv.Value.ToStringUtf8());
        Assert.Equal(2L, e[1].Kv.Version);
        Assert.Equal(Event.Types.EventType.Delete, e[2].Type);
        Assert.Equal(("k", 4L, 0L, 0L), (e[2].Kv.Key.ToStringUtf8(), e[2].Kv.ModRevision, e[2].Kv.Version, e[2].Kv.CreateRevision));
        Assert.Equal("2", e[2].PrevKv.Value.ToStringUtf8());
    }

    [Fact]
    public void TxnEventsAreInExecutionOrder()
    {
        var s = new TestStore();
        s.Put("z", "1");
        s.Events.Clear();
        s.Txn(new TxnRequest { Success = { OpPut("b", "1"), OpDelete("z"), OpTxn(new TxnRequest { Success = { OpPut("a", "1") } }) } });
        Assert.Equal(["b", "z", "a"], s.Events.Select(e => e.Kv.Key.ToStringUtf8()));
    }

    [Fact]
    public void RefusedAndReadOnlyRequestsHaveNoEvents()
    {
        var s = new TestStore();
        var refused = s.ApplyRaw(new Coordinator.Protocol.Internal.RaftRequest { Put = new PutRequest { Key = B("k"), Lease = 5, Value = B("v") } });
        Assert.NotNull(refused.Error);
        Assert.Empty(refused.Events);
        var read = s.ApplyRaw(new Coordinator.Protocol.Internal.RaftRequest { Range = new RangeRequest { Key = B("k") } });
        Assert.Empty(read.Events);
    }

    [Fact]
    public void ApplyEchoesTheRequestIdAndSkipsAppliedIndexes()
    {
        var store = new Coordinator.Grains.Store.KvStore();
        var put = new Coordinator.Protocol.Internal.RaftRequest { Id = 77, Put = new PutRequest { Key = B("k"), Value = B("v") } };
        var first = store.Apply(put, 5);
        Assert.Equal(77UL, first.RequestId);
        Assert.Equal(2, first.LastRevision);
        var again = store.Apply(put, 5);
        Assert.True(again.Skipped);
        Assert.Empty(again.Events);
        Assert.True(store.Apply(put, 4).Skipped);
        Assert.Equal(2, store.CurrentRevision);
        Assert.Equal(5UL, store.AppliedIndex);
        Assert.False(store.Apply(put, 6).Skipped);
        Assert.Equal(3, store.CurrentRevision);
    }
}
