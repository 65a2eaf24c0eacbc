using Coordinator.Grains.Raft;
using Coordinator.Silo.Storage;
using Xunit;
using static Coordinator.Tests.Storage.LogStates;

namespace Coordinator.Tests.Storage;

/// <summary>Many groups in one shared log: each recovers exactly its own writes, one group's snapshot or
/// removal leaves the others alone, segments go only when no group needs them, a group opens once.</summary>
public sealed class SharedWriteAheadLogTests
{
    private const string DataDir = "/faulty/data";

    private static WalOptions Options(FaultyFileSystem fs, long segmentSize = 64 * 1024) => new()
    {
        DataDir = DataDir, FileSystem = fs, SegmentSizeBytes = segmentSize, EntryCacheBytes = 0,
        PrepareSegmentsInBackground = false, RetainSnapshots = 1,
    };

    private static List<string> Segments(FaultyFileSystem fs) =>
        fs.ListFiles(WalPaths.WalDirectory(DataDir)).Where(f => f.EndsWith(".wal", StringComparison.Ordinal)).Order().ToList();

    /// <summary>Twelve groups, each driven at random (appends, conflicting suffixes, commit-only HardStates,
    /// snapshots taken and received), their saves of one wave in flight together; every group is compared
    /// with its in-memory model, live and after each reopen.</summary>
    [Fact]
    public async Task InterleavedSavesOfManyGroupsRecoverPerGroup()
    {
        var fs = new FaultyFileSystem();
        var options = Options(fs, segmentSize: 2048);
        var random = new Random(20);
        var groups = Enumerable.Range(1, 12).Select(g => (ulong)g).ToList();
        var models = groups.ToDictionary(g => g, _ => new MemoryLogStorage());
        var terms = groups.ToDictionary(g => g, _ => 1ul);
        var log = SharedWriteAheadLog.Open(options);
        var views = groups.ToDictionary(g => g, g => log.OpenGroup(g));
        try
        {
            for (var wave = 0; wave < 120; wave++)
            {
                var saves = new List<Task>();
                foreach (var g in groups.Where(_ => random.Next(3) > 0))
                {
                    var model = models[g];
                    var (hs, entries) = NextSave(random, g, model, terms);
                    model.Save(hs, entries);
                    saves.Add(views[g].SaveAsync(hs, entries, CancellationToken.None).AsTask());
                }
                await Task.WhenAll(saves);
                var snapshotting = groups[random.Next(groups.Count)];
                TakeOrReceiveSnapshot(random, snapshotting, models[snapshotting], views[snapshotting], terms);
                if (wave % 40 == 39)
                {
                    foreach (var view in views.Values) view.Dispose();
                    log.Dispose();
                    log = SharedWriteAheadLog.Open(options);
                    Assert.Equal(groups, log.Groups);
                    views = groups.ToDictionary(g => g, g => log.OpenGroup(g));
                }
                foreach (var g in groups) Assert.Equal(Describe(models[g]), Describe(views[g]));
            }
            Assert.True(Segments(fs).Count > 1, "the segments rolled");
        }
        finally
        {
            foreach (var view in views.Values) view.Dispose();
            log.Dispose();
        }
    }

    private static (HardState?, Entry[]) NextSave(Random random, ulong g, MemoryLogStorage model, Dictionary<ulong, ulong> terms)
    {
        var last = model.LastIndex;
        switch (random.Next(6))
        {
            case 0: // commit-only
                return (model.HardState with { Commit = Math.Min(last, model.HardState.Commit + 1) }, []);
            case 1 when last >= model.FirstIndex: // a new leader's entries replace a suffix
                var from = (ulong)random.NextInt64((long)model.FirstIndex, (long)last + 1);
                terms[g]++;
                return (new HardState(terms[g], g, model.HardState.Commit), Entries(g, from, from + (ulong)random.Next(3), terms[g]));
            default:
                return (random.Next(2) == 0 ? null : model.HardState with { Term = terms[g], Commit = last },
                    Entries(g, last + 1, last + 1 + (ulong)random.Next(5), terms[g]));
        }
    }

    private static Entry[] Entries(ulong g, ulong from, ulong to, ulong term)
    {
        var list = new List<Entry>();
        for (var i = from; i <= to; i++) list.Add(E(i, term, $"g{g}-{i}-{term}-" + new string('x', (int)(i % 50))));
        return list.ToArray();
    }

    private static void TakeOrReceiveSnapshot(Random random, ulong g, MemoryLogStorage model, WriteAheadLog view, Dictionary<ulong, ulong> terms)
    {
        if (random.Next(8) == 0)
        {
            terms[g]++;
            var received = Snap(model.LastIndex + (ulong)random.Next(1, 10), terms[g], $"received-{g}", 1, 2, 3);
            model.ApplySnapshot(received);
            view.ApplySnapshot(received);
        }
        else if (model.LastIndex > model.FirstIndex)
        {
            var index = (ulong)random.NextInt64((long)model.FirstIndex, (long)model.LastIndex + 1);
            var data = System.Text.Encoding.UTF8.GetBytes($"taken-{g}-{index}");
            model.CreateSnapshot(index, Membership.OfVoters(1, 2, 3), data);
            view.CreateSnapshot(index, Membership.OfVoters(1, 2, 3), data);
        }
    }

    [Fact]
    public void ASnapshotOfOneGroupLeavesTheOthersAlone()
    {
        var fs = new FaultyFileSystem();
        var options = Options(fs);
        string before;
        using (var log = SharedWriteAheadLog.Open(options))
        {
            using var a = log.OpenGroup(1);
            using var b = log.OpenGroup(2);
            a.Save(new HardState(1, 1, 8), Range(1, 10, 1));
            b.Save(new HardState(1, 2, 8), Range(1, 10, 1));
            b.CreateSnapshot(3, Membership.OfVoters(2), new byte[] { 3 });
            before = Describe(b);
            var bSnapshots = fs.ListFiles(WalPaths.SnapshotDirectory(DataDir, 2));

            a.CreateSnapshot(8, Membership.OfVoters(1), new byte[] { 8 });
            a.ApplySnapshot(Snap(20, 2, "from-a-leader", 1));
            Assert.Equal(before, Describe(b));
            Assert.Equal(bSnapshots, fs.ListFiles(WalPaths.SnapshotDirectory(DataDir, 2)));
            Assert.Equal(21ul, a.FirstIndex);
            Assert.Equal(20ul, a.LastIndex);
        }
        using var reopened = SharedWriteAheadLog.Open(options);
        using var b2 = reopened.OpenGroup(2);
        using var a2 = reopened.OpenGroup(1);
        Assert.Equal(before, Describe(b2));
        Assert.Equal(20ul, a2.SnapshotMetadata.Index);
    }

    /// <summary>Two groups write into every segment; a third wrote only into the first. Segments go only once
    /// every group's snapshot (or removal) covers its entries in them. (Carry-forward is kept out of the way:
    /// <see cref="CarryForwardTests"/> covers it.)</summary>
    [Fact]
    public void SegmentReleaseWaitsForTheSlowestGroup()
    {
        var fs = new FaultyFileSystem();
        var options = Options(fs, segmentSize: 512) with { SegmentSlack = 1000 };
        using var log = SharedWriteAheadLog.Open(options);
        using var a = log.OpenGroup(1);
        using var b = log.OpenGroup(2);
        var c = log.OpenGroup(3);
        c.Save(new HardState(1, 1, 0), Range(1, 2, 1));
        c.Dispose();
        for (ulong i = 1; i <= 60; i++)
        {
            a.Save(new HardState(1, 1, i - 1), [E(i, 1, $"a-{i}-" + new string('a', 30))]);
            b.Save(new HardState(1, 1, i - 1), [E(i, 1, $"b-{i}-" + new string('b', 30))]);
        }
        var all = Segments(fs);
        Assert.True(all.Count > 5, $"{all.Count} segments");

        a.CreateSnapshot(60, Membership.OfVoters(1), new byte[] { 1 });
        Assert.Subset(Segments(fs).ToHashSet(), all.ToHashSet()); // b (and c) still need every one of them
        b.CreateSnapshot(30, Membership.OfVoters(1), new byte[] { 2 });
        Assert.Subset(Segments(fs).ToHashSet(), all.ToHashSet()); // c still needs the first, and deletion goes oldest first

        Assert.True(log.RemoveGroup(3));
        var afterRemoval = Segments(fs);
        Assert.DoesNotContain(all[0], afterRemoval);
        Assert.Contains(all[^1], afterRemoval);
        Assert.True(afterRemoval.Count < all.Count);
        Assert.Equal(Range(31, 60, 1).Select(e => e.Index), b.Entries(31, 61, long.MaxValue).Select(e => e.Index)); // b's kept entries are still readable

        b.CreateSnapshot(60, Membership.OfVoters(1), new byte[] { 3 });
        Assert.Single(Segments(fs)); // only the segment being written is left
    }

    [Fact]
    public void ASecondOpenOfAnOpenGroupThrowsAndAClosedViewCannotWrite()
    {
        var fs = new FaultyFileSystem();
        using var log = SharedWriteAheadLog.Open(Options(fs));
        var first = log.OpenGroup(5);
        first.Save(new HardState(1, 1, 0), Range(1, 3, 1));

        var error = Assert.Throws<WalInUseException>(() => log.OpenGroup(5));
        Assert.Contains("group 5 is already open", error.Message);
        Assert.Throws<WalInUseException>(() => SharedWriteAheadLog.Open(Options(fs))); // nor through a second log
        Assert.Throws<WalInUseException>(() => log.RemoveGroup(5));
        using (var other = log.OpenGroup(6)) other.Save(null, Range(1, 1, 1)); // other groups open as usual

        first.Dispose();
        Assert.Throws<ObjectDisposedException>(() => first.Save(null, Range(4, 4, 1)));
        Assert.Throws<ObjectDisposedException>(() => first.CreateSnapshot(2, Membership.OfVoters(1), new byte[] { 2 }));
        using var second = log.OpenGroup(5);
        Assert.Equal(Range(1, 3, 1), second.Entries(1, 4, long.MaxValue));
        second.Save(null, Range(4, 4, 1));
        Assert.Throws<ObjectDisposedException>(() => first.Save(null, Range(5, 5, 1)));
        Assert.Equal(4ul, second.LastIndex);
    }

    [Fact]
    public void RemoveGroupDropsItsRecordsAndSnapshotsAndTheIdCanStartAgain()
    {
        var fs = new FaultyFileSystem();
        var options = Options(fs);
        using (var log = SharedWriteAheadLog.Open(options))
        {
            using (var gone = log.OpenGroup(4))
            {
                gone.Save(new HardState(3, 3, 5), Range(1, 6, 3));
                gone.CreateSnapshot(5, Membership.OfVoters(3), new byte[] { 5 });
            }
            using var kept = log.OpenGroup(8);
            kept.Save(new HardState(1, 1, 1), Range(1, 2, 1));
            Assert.Equal([4ul, 8], log.Groups);

            Assert.True(log.RemoveGroup(4));
            Assert.False(log.RemoveGroup(4));
            Assert.Equal([8ul], log.Groups);
            Assert.DoesNotContain(WalPaths.SnapshotDirectory(DataDir, 4), fs.ListDirectories(WalPaths.SnapshotRoot(DataDir)));
        }
        using (var log = SharedWriteAheadLog.Open(options))
        {
            Assert.Equal([8ul], log.Groups);
            using var again = log.OpenGroup(4);
            Assert.Equal(0ul, again.LastIndex);
            Assert.Equal(HardState.Empty, again.HardState);
            Assert.True(again.Snapshot.IsEmpty);
            again.Save(new HardState(7, 1, 0), Range(1, 2, 7)); // a new replica of the group
        }
        using var last = SharedWriteAheadLog.Open(options);
        using var reborn = last.OpenGroup(4);
        Assert.Equal(Range(1, 2, 7), reborn.Entries(1, 3, long.MaxValue));
        Assert.Equal(new HardState(7, 1, 0), reborn.HardState);
        using var other = last.OpenGroup(8);
        Assert.Equal(Range(1, 2, 1), other.Entries(1, 3, long.MaxValue));
    }
}
