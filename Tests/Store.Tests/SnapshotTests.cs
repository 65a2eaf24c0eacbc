using Coordinator.Grains.Store;
using Etcdserverpb;
using Xunit;
using static Coordinator.Tests.Store.TestStore;

namespace Coordinator.Tests.Store;

public class SnapshotTests
{
    private static TestStore Busy()
    {
        var s = new TestStore();
        s.Grant(30, 1);
        s.Grant(60, 2);
        for (var i = 0; i < 300; i++) s.Put($"k{i % 37:D2}", $"v{i}", lease: i % 3);
        s.Delete("k10", "k20");
        s.ApplyRaw(new Coordinator.Protocol.Internal.RaftRequest { Put = new PutRequest { Key = B(""), Value = B("x") } }); // refused, still consumes an index
        s.Compact(100);
        s.Put(new PutRequest { Key = Google.Protobuf.ByteString.CopyFrom(0, 255, 0), Value = Google.Protobuf.ByteString.Empty });
        s.Apply<LeaseCheckpointResponse>(new Coordinator.Protocol.Internal.RaftRequest
        {
            LeaseCheckpoint = new LeaseCheckpointRequest { Checkpoints = { new LeaseCheckpoint { ID = 2, RemainingTTL = 17 } } },
        });
        return s;
    }

    private static byte[] Snapshot(KvStore store)
    {
        using var ms = new MemoryStream();
        store.WriteSnapshot(ms);
        return ms.ToArray();
    }

    [Fact]
    public void RestoreRoundTripsStateAndHash()
    {
        var s = Busy();
        var bytes = Snapshot(s.Store);
        var restored = KvStore.FromSnapshot(new MemoryStream(bytes));
        Assert.Equal(s.Store.Hash(), restored.Hash());
        Assert.Equal(s.Store.HashKv(0), restored.HashKv(0));
        Assert.Equal(s.Store.CurrentRevision, restored.CurrentRevision);
        Assert.Equal(s.Store.CompactRevision, restored.CompactRevision);
        Assert.Equal(s.Store.AppliedIndex, restored.AppliedIndex);
        Assert.Equal(bytes, Snapshot(restored));
        Assert.Equal(
            s.Store.Leases().Select(l => (l.Id, l.GrantedTtl, l.RemainingTtl, l.Keys.Count)),
            restored.Leases().Select(l => (l.Id, l.GrantedTtl, l.RemainingTtl, l.Keys.Count)));
        var all = new RangeRequest { Key = B("\0"), RangeEnd = B("\0"), Revision = 150 };
        Assert.Equal(s.Store.Range(all), restored.Range(all));
    }

    [Fact]
    public void Captured_image_encodes_the_state_at_capture_while_the_store_moves_on()
    {
        var s = Busy();
        var before = Snapshot(s.Store);
        var hashBefore = s.Store.HashKv(0);
        var image = s.Store.CaptureSnapshot();

        // Overwrite, delete, compact and revoke after the capture: none of it may leak into the image.
        for (var i = 0; i < 50; i++) s.Put($"k{i % 37:D2}", $"after{i}");
        s.Delete("k00", "k05");
        s.Compact(s.Store.CurrentRevision - 5);
        s.Revoke(1);

        using var encoded = new MemoryStream();
        image.WriteTo(encoded);
        Assert.Equal(before, encoded.ToArray());
        Assert.Equal(encoded.Length, image.EncodedLength);
        Assert.Equal(hashBefore, KvStore.FromSnapshot(new MemoryStream(encoded.ToArray())).HashKv(0));
        Assert.NotEqual(before, Snapshot(s.Store));
    }

    [Fact]
    public void RestoredStoreBehavesIdentically()
    {
        var s = Busy();
        var restored = KvStore.FromSnapshot(new MemoryStream(Snapshot(s.Store)));
        var next = s.NextIndex;
        var ops = new[]
        {
            new Coordinator.Protocol.Internal.RaftRequest { Put = new PutRequest { Key = B("k05"), Value = B("new"), Lease = 1 } },
            new Coordinator.Protocol.Internal.RaftRequest { LeaseRevoke = new LeaseRevokeRequest { ID = 2 } },
            new Coordinator.Protocol.Internal.RaftRequest { LeaseGrant = new LeaseGrantRequest { TTL = 5 } },
            new Coordinator.Protocol.Internal.RaftRequest { Compaction = new CompactionRequest { Revision = 200 } },
            new Coordinator.Protocol.Internal.RaftRequest { DeleteRange = new DeleteRangeRequest { Key = B("k"), RangeEnd = B("l") } },
        };
        foreach (var op in ops)
        {
            var a = s.Store.Apply(op, next);
            var b = restored.Apply(op, next++);
            Assert.Equal(a.Response, b.Response);
            Assert.Equal(a.Error?.Message, b.Error?.Message);
            Assert.Equal(a.Events, b.Events);
        }
        Assert.Equal(s.Store.Hash(), restored.Hash());
        Assert.True(restored.Apply(ops[0], next - 1).Skipped);
    }

    [Fact]
    public void EmptyStoreRoundTrips()
    {
        var store = new KvStore();
        var restored = KvStore.FromSnapshot(new MemoryStream(Snapshot(store)));
        Assert.Equal(1, restored.CurrentRevision);
        Assert.Equal(store.Hash(), restored.Hash());
    }

    [Fact]
    public void CorruptionIsDetectedAndLeavesTheStateUntouched()
    {
        var s = Busy();
        var bytes = Snapshot(s.Store);
        var target = new TestStore();
        target.Put("mine", "1");
        var before = target.Store.Hash();
        foreach (var position in new[] { 0, 5, 40, bytes.Length / 2, bytes.Length - 1 })
        {
            var damaged = (byte[])bytes.Clone();
            damaged[position] ^= 0x40;
            Assert.Throws<InvalidDataException>(() => target.Store.RestoreSnapshot(new MemoryStream(damaged)));
        }
        Assert.Throws<InvalidDataException>(() => target.Store.RestoreSnapshot(new MemoryStream(bytes[..^7])));
        Assert.Equal(before, target.Store.Hash());
        Assert.Equal("1", target.Value("mine"));
    }

    [Fact]
    public void VersionIsChecked()
    {
        var bytes = Snapshot(new KvStore());
        bytes[4] = 99;
        var e = Assert.Throws<InvalidDataException>(() => KvStore.FromSnapshot(new MemoryStream(bytes)));
        Assert.Contains("version", e.Message);
    }
}
