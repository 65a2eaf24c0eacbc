using Coordinator.Grains.Store;
using Coordinator.Protocol.Internal;
using Etcdserverpb;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static Coordinator.Tests.Store.TestStore;

namespace Coordinator.Tests.Store;

/// <summary>Random op sequences against <see cref="ReferenceModel"/>: every read at every revision must agree.</summary>
public class ModelPropertyTests
{
    public abstract record Op;
    public sealed record PutOp(string Key, string Value, long Lease) : Op;
    public sealed record DeleteOp(string Key, string? End) : Op;
    public sealed record TxnOp(string CompareKey, long Version, string PutKey, string Value, string DeleteKey) : Op;
    public sealed record CompactOp(long BehindCurrent) : Op;
    public sealed record GrantOp(long Id) : Op;
    public sealed record RevokeOp(long Id) : Op;

    private static readonly string[] KeyNames = ["a", "b", "c", "d", "e", "a\0", "\u00ff"];

    private static Gen<string> Key => Gen.Elements(KeyNames);

    private static Gen<Op> OpGen => Gen.Frequency(
        (6, from k in Key from v in Gen.Elements("x", new string('y', 12), "") from l in Gen.Elements(0L, 0L, 1L, 2L) select (Op)new PutOp(k, v, l)),
        (2, from k in Key from e in Gen.Elements<string?>(null, "c", "e", "\0", "a") select (Op)new DeleteOp(k, e)),
        (2, from c in Key from v in Gen.Choose(0, 2) from p in Key from val in Gen.Elements("t", "u") from d in Key
            select (Op)new TxnOp(c, v, p, val, d)),
        (1, Gen.Choose(-1, 6).Select(b => (Op)new CompactOp(b))),
        (1, Gen.Elements(1L, 2L).Select(id => (Op)new GrantOp(id))),
        (1, Gen.Elements(1L, 2L).Select(id => (Op)new RevokeOp(id))));

    private static IEnumerable<List<Op>> ShrinkOps(List<Op> ops)
    {
        for (var i = 0; i < ops.Count; i++)
        {
            var shorter = new List<Op>(ops);
            shorter.RemoveAt(i);
            yield return shorter;
        }
    }

    [Fact]
    public void StoreAgreesWithTheReferenceModel()
    {
        var arb = Arb.From(Gen.ListOf(OpGen), ShrinkOps);
        var property = Prop.ForAll(arb, ops => RunAgainstModel(ops));
        // STORE_PROPERTY_TESTS=5000 runs a longer search.
        var maxTest = int.TryParse(Environment.GetEnvironmentVariable("STORE_PROPERTY_TESTS"), out var n) ? n : 300;
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithEndSize(80), property);
    }

    private static bool RunAgainstModel(List<Op> ops)
    {
        var store = new KvStore(null, valueChunkBytes: 64, minValueGarbageBytes: 0); // small chunks: values move between chunks on compaction
        var model = new ReferenceModel();
        ulong index = 1;
        foreach (var op in ops)
        {
            var (request, expectedError) = Step(op, model);
            var result = store.Apply(request, index++);
            Assert.Equal(expectedError, result.Error?.Message);
            Assert.Equal(model.Revision, store.CurrentRevision);
            Assert.Equal(store.MeasureBytes(), store.SizeBytes); // kept up to date by writes and compactions
            var (arenaLive, retained, _) = store.MeasureValueBytes();
            Assert.Equal(retained, arenaLive); // every dropped record released its value exactly once
            for (var r = model.CompactRevision - 1; r <= model.Revision + 1; r++) AssertSameRead(store, model, r);
        }

        // A snapshot taken at the end restores to an equal, equally-behaving store.
        using var snapshot = new MemoryStream();
        store.WriteSnapshot(snapshot);
        snapshot.Position = 0;
        var restored = KvStore.FromSnapshot(snapshot);
        Assert.Equal(store.Hash(), restored.Hash());
        Assert.Equal(store.SizeBytes, restored.SizeBytes);
        for (var r = model.CompactRevision; r <= model.Revision; r++) AssertSameRead(restored, model, r);
        return true;
    }

    private static (RaftRequest Request, string? Error) Step(Op op, ReferenceModel model)
    {
        switch (op)
        {
            case PutOp p:
                return (new RaftRequest { Put = new PutRequest { Key = B(p.Key), Value = B(p.Value), Lease = p.Lease } },
                    model.Put(p.Key, p.Value, p.Lease));
            case DeleteOp d:
                var request = new DeleteRangeRequest { Key = B(d.Key) };
                if (d.End is not null) request.RangeEnd = B(d.End);
                model.Delete(k => d.End switch
                {
                    null => k == d.Key,
                    "\0" => string.CompareOrdinal(k, d.Key) >= 0,
                    _ => string.CompareOrdinal(k, d.Key) >= 0 && string.CompareOrdinal(k, d.End) < 0,
                });
                return (new RaftRequest { DeleteRange = request }, null);
            case TxnOp t:
                var txn = new TxnRequest
                {
                    Compare = { new Compare { Key = B(t.CompareKey), Target = Compare.Types.CompareTarget.Version, Version = t.Version } },
                    Success = { OpPut(t.PutKey, t.Value) },
                    Failure = { OpDelete(t.DeleteKey) },
                };
                if (model.VersionOf(t.CompareKey) == t.Version) model.Put(t.PutKey, t.Value, 0);
                else model.Delete(k => k == t.DeleteKey);
                return (new RaftRequest { Txn = txn }, null);
            case CompactOp c:
                var revision = model.Revision - c.BehindCurrent;
                return (new RaftRequest { Compaction = new CompactionRequest { Revision = revision } }, model.Compact(revision));
            case GrantOp g:
                return (new RaftRequest { LeaseGrant = new LeaseGrantRequest { ID = g.Id, TTL = 10 } }, model.Grant(g.Id));
            case RevokeOp r:
                return (new RaftRequest { LeaseRevoke = new LeaseRevokeRequest { ID = r.Id } }, model.Revoke(r.Id));
            default:
                throw new ArgumentOutOfRangeException(nameof(op));
        }
    }

    // ASCII/Latin-1 key names map to single bytes below 0x100 with UTF-8 except "\u00ff", which still sorts last.
    private static void AssertSameRead(KvStore store, ReferenceModel model, long revision)
    {
        var (expected, error) = model.ReadAll(revision);
        var request = new RangeRequest { Key = B("\0"), RangeEnd = B("\0"), Revision = revision };
        if (error is not null)
        {
            var e = Assert.Throws<StoreException>(() => store.Range(request));
            Assert.Equal(error, e.Message);
            return;
        }
        var actual = store.Range(request);
        Assert.Equal(model.Revision, actual.Header.Revision);
        Assert.Equal(expected!.Count, actual.Count);
        Assert.Equal(
            expected.Select(p => (p.Key, p.Kv.Value, p.Kv.Create, p.Kv.Mod, p.Kv.Version, p.Kv.Lease)),
            actual.Kvs.Select(kv => (kv.Key.ToStringUtf8(), kv.Value.ToStringUtf8(), kv.CreateRevision, kv.ModRevision, kv.Version, kv.Lease)));
    }
}
