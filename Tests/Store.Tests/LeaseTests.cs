using Coordinator.Grains.Store;
using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Mvccpb;
using Xunit;

namespace Coordinator.Tests.Store;

public class LeaseTests
{
    [Fact]
    public void GrantWithAGivenIdAndTtl()
    {
        var s = new TestStore();
        var r = s.Grant(60, 1234);
        Assert.Equal((1234L, 60L), (r.ID, r.TTL));
        Assert.Equal(1, r.Header.Revision);
        var info = s.Store.GetLease(1234)!;
        Assert.Equal((60L, 0L), (info.GrantedTtl, info.RemainingTtl));
    }

    [Fact]
    public void TtlIsRaisedToTheMinimum()
    {
        var s = new TestStore(new StoreOptions { MinLeaseTtl = 5 });
        Assert.Equal(5, s.Grant(1).TTL);
        Assert.Equal(5, s.Grant(0).TTL);
        Assert.Equal(6, s.Grant(6).TTL);
    }

    [Fact]
    public void GeneratedIdsArePositiveUniqueAndDeterministic()
    {
        var a = new TestStore();
        var b = new TestStore();
        var idsA = Enumerable.Range(0, 50).Select(_ => a.Grant(10).ID).ToList();
        var idsB = Enumerable.Range(0, 50).Select(_ => b.Grant(10).ID).ToList();
        Assert.Equal(idsA, idsB);
        Assert.All(idsA, id => Assert.True(id > 0));
        Assert.Equal(50, idsA.Distinct().Count());
    }

    [Fact]
    public void GeneratedIdSkipsAnIdInUse()
    {
        var probe = new KvStore();
        var wouldBe = ((LeaseGrantResponse)probe.Apply(new RaftRequest { LeaseGrant = new LeaseGrantRequest { TTL = 10 } }, 2).Response!).ID;
        var store = new KvStore();
        store.Apply(new RaftRequest { LeaseGrant = new LeaseGrantRequest { TTL = 10, ID = wouldBe } }, 1);
        var r = store.Apply(new RaftRequest { LeaseGrant = new LeaseGrantRequest { TTL = 10 } }, 2);
        Assert.Null(r.Error);
        Assert.NotEqual(wouldBe, ((LeaseGrantResponse)r.Response!).ID);
    }

    [Fact]
    public void GrantingAnExistingIdIsRefused()
    {
        var s = new TestStore();
        s.Grant(10, 5);
        StoreAssert.Refused(() => s.Grant(10, 5), StatusCode.FailedPrecondition, "etcdserver: lease already exists");
    }

    [Fact]
    public void TooLargeTtlIsRefused()
    {
        var s = new TestStore();
        StoreAssert.Refused(() => s.Grant(9_000_000_001), StatusCode.OutOfRange, "etcdserver: too large lease TTL");
        s.Grant(9_000_000_000);
    }

    [Fact]
    public void RevokeDeletesAttachedKeysInOneRevision()
    {
        var s = new TestStore();
        var lease = s.Grant(10, 7).ID;
        s.Put("b", "1", lease);
        s.Put("a", "1", lease);
        s.Put("c", "1");
        s.Events.Clear();
        var r = s.Revoke(lease);
        Assert.Equal(5, r.Header.Revision);
        Assert.Equal(["a", "b"], s.Events.Select(e => e.Kv.Key.ToStringUtf8()));
        Assert.All(s.Events, e => Assert.Equal((Event.Types.EventType.Delete, 5L), (e.Type, e.Kv.ModRevision)));
        Assert.Equal(["c"], TestStore.Keys(s.Get("\0", "\0")));
        Assert.Null(s.Store.GetLease(lease));
    }

    [Fact]
    public void RevokingAnUnknownLeaseIsRefused()
    {
        var s = new TestStore();
        StoreAssert.Refused(() => s.Revoke(3), StatusCode.NotFound, "etcdserver: requested lease not found");
    }

    [Fact]
    public void RevokeWithoutKeysKeepsTheRevision()
    {
        var s = new TestStore();
        s.Grant(10, 7);
        Assert.Equal(1, s.Revoke(7).Header.Revision);
    }

    [Fact]
    public void PutMovesAKeyBetweenLeasesAndDeleteDetaches()
    {
        var s = new TestStore();
        s.Grant(10, 1);
        s.Grant(10, 2);
        s.Put("k", "v", 1);
        Assert.Equal(["k"], s.Store.GetLease(1)!.Keys.Select(k => System.Text.Encoding.UTF8.GetString(k)));
        s.Put("k", "v", 2);
        Assert.Empty(s.Store.GetLease(1)!.Keys);
        Assert.Single(s.Store.GetLease(2)!.Keys);
        s.Put("k", "v");
        Assert.Empty(s.Store.GetLease(2)!.Keys);
        s.Put("j", "v", 2);
        s.Delete("j");
        Assert.Empty(s.Store.GetLease(2)!.Keys);
        s.Revoke(2);
        Assert.Equal("v", s.Value("k"));
    }

    [Fact]
    public void CheckpointRecordsRemainingTtlAndIgnoresUnknownLeases()
    {
        var s = new TestStore();
        s.Grant(100, 1);
        s.Apply<LeaseCheckpointResponse>(new RaftRequest
        {
            LeaseCheckpoint = new LeaseCheckpointRequest
            {
                Checkpoints = { new LeaseCheckpoint { ID = 1, RemainingTTL = 42 }, new LeaseCheckpoint { ID = 9, RemainingTTL = 1 } },
            },
        });
        Assert.Equal(42, s.Store.GetLease(1)!.RemainingTtl);
    }

    [Fact]
    public void ExpiryRevokesExistingLeasesOneRevisionEach()
    {
        var s = new TestStore();
        s.Grant(10, 1);
        s.Grant(10, 2);
        s.Put("a", "1", 1);
        s.Put("b", "1", 2);
        s.Events.Clear();
        var result = s.ApplyRaw(new RaftRequest { LeaseExpire = new LeaseExpire { Ids = { 2, 77, 1 } } });
        Assert.Null(result.Error);
        Assert.Equal([("b", 4L), ("a", 5L)], s.Events.Select(e => (e.Kv.Key.ToStringUtf8(), e.Kv.ModRevision)));
        Assert.Empty(s.Store.Leases());
    }

    [Fact]
    public void LeaseOnKeyIsVisibleAndComparable()
    {
        var s = new TestStore();
        s.Grant(10, 3);
        s.Put("k", "v", 3);
        Assert.Equal(3, Assert.Single(s.Get("k").Kvs).Lease);
        Assert.True(s.Txn(new TxnRequest
        {
            Compare = { new Compare { Key = TestStore.B("k"), Target = Compare.Types.CompareTarget.Lease, Lease = 3 } },
        }).Succeeded);
    }

    [Fact]
    public void LeasesAreListedInIdOrder()
    {
        var s = new TestStore();
        s.Grant(10, 30);
        s.Grant(10, 10);
        s.Grant(10, 20);
        Assert.Equal([10L, 20L, 30L], s.Store.Leases().Select(l => l.Id));
    }
}
