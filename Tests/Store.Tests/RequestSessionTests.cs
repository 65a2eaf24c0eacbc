using Coordinator.Grains.Store;
using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Xunit;
using static Coordinator.Tests.Store.TestStore;

namespace Coordinator.Tests.Store;

/// <summary>At most once: a request repeated in the log (duplicated, retried, delivered late) takes effect once
/// and answers with its first result; one below its proposer's floor never takes effect; all of it survives
/// a snapshot.</summary>
public class RequestSessionTests
{
    private const ulong Session = 0xABCDEF;

    private static RaftRequest Put(ulong id, string key, string value, ulong floor, ulong session = Session, bool prevKv = false) => new()
    {
        Id = id, Session = session, Floor = floor,
        Put = new PutRequest { Key = B(key), Value = B(value), PrevKv = prevKv },
    };

    [Fact]
    public void RepeatedEntry_TakesEffectOnce_AndAnswersWithTheFirstResult()
    {
        var s = new TestStore();
        var first = s.ApplyRaw(Put(1, "k", "v1", floor: 1, prevKv: true));
        s.Put("k", "other");
        var repeat = s.ApplyRaw(Put(1, "k", "v1", floor: 1, prevKv: true));

        Assert.Equal(SessionVerdict.New, first.Verdict);
        Assert.Equal(SessionVerdict.Duplicate, repeat.Verdict);
        Assert.Equal("other", s.Value("k"));
        Assert.Empty(repeat.Events);
        Assert.Null(repeat.Error);
        Assert.Equal(((PutResponse)first.Response!).Header.Revision, ((PutResponse)repeat.Response!).Header.Revision);
        Assert.Equal(2, s.Store.CurrentRevision - 1); // two puts took effect, the repeat did not
    }

    [Fact]
    public void RepeatedTxn_DoesNotEvaluateItsCompareAgain()
    {
        var s = new TestStore();
        s.Put("k", "a");
        var cas = new RaftRequest
        {
            Id = 5, Session = Session, Floor = 5,
            Txn = new TxnRequest
            {
                Compare = { new Compare { Key = B("k"), Target = Compare.Types.CompareTarget.Value, Value = B("a") } },
                Success = { new RequestOp { RequestPut = new PutRequest { Key = B("k"), Value = B("b") } } },
            },
        };
        Assert.True(((TxnResponse)s.ApplyRaw(cas).Response!).Succeeded);
        s.Put("k", "a"); // the compare would hold again
        var repeat = s.ApplyRaw(cas);
        Assert.Equal(SessionVerdict.Duplicate, repeat.Verdict);
        Assert.True(((TxnResponse)repeat.Response!).Succeeded);
        Assert.Equal("a", s.Value("k"));
    }

    [Fact]
    public void EntryBelowTheFloor_IsNeverApplied()
    {
        var s = new TestStore();
        // Request 3 was given up (its proposer's later request 4 says its floor is 4), then arrives late.
        s.ApplyRaw(Put(4, "k", "new", floor: 4));
        var late = s.ApplyRaw(Put(3, "k", "old", floor: 3));
        Assert.Equal(SessionVerdict.Stale, late.Verdict);
        Assert.NotNull(late.Error);
        Assert.Equal("new", s.Value("k"));
    }

    [Fact]
    public void RequestsOfOtherSessionsAndWithoutSession_AreIndependent()
    {
        var s = new TestStore();
        s.ApplyRaw(Put(1, "a", "1", floor: 1, session: 1));
        Assert.Equal(SessionVerdict.New, s.ApplyRaw(Put(1, "b", "1", floor: 1, session: 2)).Verdict);
        // Session 0: no tracking (entries of logs written before sessions existed).
        Assert.Equal(SessionVerdict.New, s.ApplyRaw(Put(1, "c", "1", floor: 0, session: 0)).Verdict);
        Assert.Equal(SessionVerdict.New, s.ApplyRaw(Put(1, "c", "2", floor: 0, session: 0)).Verdict);
        Assert.Equal("2", s.Value("c"));
    }

    [Fact]
    public void RefusedRequest_RepeatsItsRefusal()
    {
        var s = new TestStore();
        var bad = new RaftRequest { Id = 1, Session = Session, Floor = 1, LeaseRevoke = new LeaseRevokeRequest { ID = 99 } };
        var first = s.ApplyRaw(bad);
        Assert.NotNull(first.Error);
        s.Grant(30, 99);
        var repeat = s.ApplyRaw(bad);
        Assert.Equal(SessionVerdict.Duplicate, repeat.Verdict);
        Assert.Equal(first.Error!.Message, repeat.Error!.Message);
        Assert.NotNull(s.Store.GetLease(99)); // the repeat did not revoke the lease granted meanwhile
    }

    [Fact]
    public void Sessions_SurviveASnapshot()
    {
        var s = new TestStore();
        s.ApplyRaw(Put(1, "k", "v1", floor: 1, prevKv: true));
        s.ApplyRaw(Put(2, "k", "v2", floor: 1));
        using var ms = new MemoryStream();
        s.Store.WriteSnapshot(ms);
        var restored = KvStore.FromSnapshot(new MemoryStream(ms.ToArray()));

        var repeat = restored.Apply(Put(1, "k", "v1", floor: 1, prevKv: true), s.NextIndex);
        Assert.Equal(SessionVerdict.Duplicate, repeat.Verdict);
        Assert.Equal(2, ((PutResponse)repeat.Response!).Header.Revision);
        Assert.Equal(SessionVerdict.New, restored.Apply(Put(3, "k", "v3", floor: 3), s.NextIndex + 1).Verdict);
        Assert.Equal(SessionVerdict.Stale, restored.Apply(Put(2, "k", "v2", floor: 2), s.NextIndex + 2).Verdict);
        Assert.Equal("v3", restored.Range(new RangeRequest { Key = B("k") }).Kvs[0].Value.ToStringUtf8());
    }

    [Fact]
    public void Recorded_results_of_every_command_kind_survive_a_snapshot()
    {
        // Auth answers with a different message type per sub-command; the silo table with its own.
        var s = new TestStore();
        var auth = new RaftRequest { Id = 1, Session = Session, Floor = 1, Auth = new AuthCommand { RoleAdd = new AuthRoleAddRequest { Name = "r" } } };
        var silo = new RaftRequest { Id = 2, Session = Session, Floor = 1, SiloTable = new SiloTableCommand { Clear = new SiloTableClear() } };
        var first = (s.ApplyRaw(auth).Response!, s.ApplyRaw(silo).Response!);
        using var ms = new MemoryStream();
        s.Store.WriteSnapshot(ms);
        var restored = KvStore.FromSnapshot(new MemoryStream(ms.ToArray()));

        var repeats = (restored.Apply(auth, s.NextIndex).Response!, restored.Apply(silo, s.NextIndex + 1).Response!);
        Assert.Equal(first, repeats);
        Assert.IsType<AuthRoleAddResponse>(repeats.Item1);
        Assert.IsType<SiloTableResponse>(repeats.Item2);
    }

    [Fact]
    public void ResponseHandedOut_IsACopy_TheRecordStaysIntact()
    {
        var s = new TestStore();
        var first = s.ApplyRaw(Put(1, "k", "v", floor: 1));
        var handedOut = (PutResponse)first.Detached().Response!;
        handedOut.Header.MemberId = 42; // the gateway fills headers in place
        var repeat = s.ApplyRaw(Put(1, "k", "v", floor: 1));
        Assert.Equal(0UL, ((PutResponse)repeat.Response!).Header.MemberId);
    }
}

public class RequestSessionTableTests
{
    private sealed record R(int V);

    [Fact]
    public void FloorPrunesResults_AndMakesLowerNumbersStale()
    {
        var t = new RequestSessionTable<R>();
        for (ulong i = 1; i <= 10; i++) t.Record(7, i, floor: 1, appliedIndex: i, new R((int)i));
        Assert.Equal(SessionVerdict.Duplicate, t.Check(7, 3, out var r));
        Assert.Equal(3, r!.V);
        t.Record(7, 11, floor: 9, appliedIndex: 11, new R(11));
        Assert.Equal(SessionVerdict.Stale, t.Check(7, 8, out _));
        Assert.Equal(SessionVerdict.Duplicate, t.Check(7, 9, out r));
        Assert.Equal(9, r!.V);
        Assert.Equal(SessionVerdict.New, t.Check(7, 12, out _));
    }

    [Fact]
    public void OutOfOrderArrivals_AreTrackedExactly()
    {
        var t = new RequestSessionTable<R>();
        t.Record(1, 5, floor: 2, appliedIndex: 1, new R(5)); // 2, 3, 4 still in flight
        t.Record(1, 3, floor: 2, appliedIndex: 2, new R(3));
        Assert.Equal(SessionVerdict.New, t.Check(1, 2, out _));
        Assert.Equal(SessionVerdict.New, t.Check(1, 4, out _));
        Assert.Equal(SessionVerdict.Duplicate, t.Check(1, 3, out _));
        Assert.Equal(SessionVerdict.Duplicate, t.Check(1, 5, out _));
    }

    [Fact]
    public void ResultsAreBounded_AppliedNumbersAreStillKnown()
    {
        var t = new RequestSessionTable<R>();
        var n = (ulong)RequestSessionTable<R>.MaxResultsPerSession + 100;
        for (ulong i = 1; i <= n; i++) t.Record(1, i, floor: 1, appliedIndex: i, new R((int)i));
        Assert.Equal(SessionVerdict.Duplicate, t.Check(1, 1, out var oldest));
        Assert.Null(oldest); // its result was dropped, its application is still remembered
        Assert.Equal(SessionVerdict.Duplicate, t.Check(1, n, out var newest));
        Assert.Equal((int)n, newest!.V);
    }

    [Fact]
    public void SessionsAreBounded_LeastRecentlyUsedGoesFirst()
    {
        var t = new RequestSessionTable<R>();
        for (ulong s = 1; s <= RequestSessionTable<R>.MaxSessions; s++) t.Record(s, 1, 1, appliedIndex: s, new R(0));
        t.Record(1, 2, 1, appliedIndex: 5000, new R(0)); // session 1 used again: session 2 is now the oldest
        t.Record(99_999, 1, 1, appliedIndex: 5001, new R(0));
        Assert.Equal(RequestSessionTable<R>.MaxSessions, t.Count);
        Assert.Equal(SessionVerdict.New, t.Check(2, 1, out _));
        Assert.Equal(SessionVerdict.Duplicate, t.Check(1, 1, out _));
    }

    [Fact]
    public void TooManyGaps_RaiseTheFloorInsteadOfGrowing()
    {
        var t = new RequestSessionTable<R>();
        // Every other number applied, none of the gaps ever: the ranges are capped.
        for (ulong i = 0; i <= RequestSessionTable<R>.MaxRangesPerSession; i++)
            t.Record(1, 2 * i + 10, floor: 1, appliedIndex: i + 1, new R(0));
        // The lowest range [10] went below the floor (so did the gap under it); the gap at 11 is still open.
        Assert.Equal(SessionVerdict.Stale, t.Check(1, 9, out _));
        Assert.Equal(SessionVerdict.Stale, t.Check(1, 10, out _));
        Assert.Equal(SessionVerdict.New, t.Check(1, 11, out _));
        Assert.Equal(SessionVerdict.Duplicate, t.Check(1, 12, out _));
        Assert.Equal(SessionVerdict.New, t.Check(1, 2UL * RequestSessionTable<R>.MaxRangesPerSession + 9, out _));
    }

    [Fact]
    public void EncodingRoundTrips_AndRejectsGarbage()
    {
        var t = new RequestSessionTable<R>();
        t.Record(1, 5, floor: 2, appliedIndex: 1, new R(5));
        t.Record(2, 1, floor: 1, appliedIndex: 2, new R(1));
        var bytes = Encode(t);
        var back = RequestSessionTable<R>.ReadFrom(new BinaryReader(new MemoryStream(bytes)), r => new R(r.ReadInt32()));
        Assert.Equal(bytes, Encode(back));
        Assert.Equal(SessionVerdict.Duplicate, back.Check(1, 5, out var r));
        Assert.Equal(5, r!.V);
        Assert.Equal(SessionVerdict.Stale, back.Check(1, 1, out _));

        var garbage = (byte[])bytes.Clone();
        garbage[0] = 0xFF; garbage[1] = 0xFF; garbage[2] = 0xFF; garbage[3] = 0x7F; // session count
        Assert.Throws<InvalidDataException>(() => RequestSessionTable<R>.ReadFrom(new BinaryReader(new MemoryStream(garbage)), x => new R(x.ReadInt32())));
    }

    private static byte[] Encode(RequestSessionTable<R> t)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) t.WriteTo(w, (x, r) => x.Write(r.V));
        return ms.ToArray();
    }
}

public class SequenceRangesTests
{
    [Fact]
    public void AddMergesNeighbours_AndMatchesASet()
    {
        var random = new Random(7);
        var ranges = new SequenceRanges();
        var model = new HashSet<ulong>();
        for (var i = 0; i < 5000; i++)
        {
            var v = (ulong)random.Next(1, 400);
            Assert.Equal(model.Add(v), ranges.Add(v));
            if (i % 500 == 499)
            {
                var floor = (ulong)random.Next(0, 400);
                ranges.RemoveBelow(floor);
                model.RemoveWhere(x => x < floor);
            }
        }
        for (ulong v = 0; v < 410; v++) Assert.Equal(model.Contains(v), ranges.Contains(v));
        Assert.True(ranges.RangeCount <= model.Count);
    }

    [Fact]
    public void InOrderNumbers_StayOneRange()
    {
        var ranges = new SequenceRanges();
        for (ulong v = 100; v < 10_000; v++) ranges.Add(v);
        Assert.Equal(1, ranges.RangeCount);
        Assert.Equal("100-9999", ranges.ToString());
    }
}

public class SnapshotFormatVersionTests
{
    [Fact]
    public void Version1Snapshot_WithoutSessions_IsStillRead()
    {
        var s = new TestStore();
        s.Put("k", "v");
        using var ms = new MemoryStream();
        s.Store.WriteSnapshot(ms);
        var v2 = ms.ToArray();
        // Version 1 is version 2 without the session table (an empty one is its count, 4 zero bytes, before the CRC).
        var body = v2.AsSpan(0, v2.Length - 8).ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), 1);
        var crc = new Crc32C();
        crc.Append(body);
        var v1 = body.Concat(BitConverter.GetBytes(crc.Value)).ToArray();

        var restored = KvStore.FromSnapshot(new MemoryStream(v1));
        Assert.Equal("v", restored.Range(new RangeRequest { Key = B("k") }).Kvs[0].Value.ToStringUtf8());
        Assert.Equal(0, restored.SessionCount);
    }
}
