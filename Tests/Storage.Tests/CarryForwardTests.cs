using Coordinator.Grains.Raft;
using Coordinator.Silo.Storage;
using Xunit;
using static Coordinator.Tests.Storage.LogStates;

namespace Coordinator.Tests.Storage;

/// <summary>
/// A quiet group (a few entries, never snapshotted) beside a churning group (many entries, regular
/// snapshots) in one shared log: the quiet group is carried forward, so the segments kept stay bounded, and
/// every group recovers exactly its log, after clean reopens and after a crash at any fault point.
/// </summary>
public sealed class CarryForwardTests
{
    private const string DataDir = "/faulty/data";
    private const ulong Quiet = 1;
    private const ulong Churning = 2;

    private static WalOptions Options(FaultyFileSystem fs, int segmentSlack) => new()
    {
        DataDir = DataDir, FileSystem = fs, SegmentSizeBytes = 1024, EntryCacheBytes = 0, // reads come from the segments
        PrepareSegmentsInBackground = false, SegmentSlack = segmentSlack, SectorSize = 16,
    };

    private static List<string> Segments(FaultyFileSystem fs) =>
        fs.ListFiles(WalPaths.WalDirectory(DataDir)).Where(f => f.EndsWith(".wal", StringComparison.Ordinal)).Order().ToList();

    private static Entry[] Entries(ulong group, ulong from, ulong to, ulong term) =>
        Enumerable.Range((int)from, (int)(to - from + 1))
            .Select(i => E((ulong)i, term, $"g{group}-{i}-t{term}-" + new string('x', 40))).ToArray();

    /// <summary>One step of the workload on both groups (the log and its model).</summary>
    private sealed record Step(ulong Group, string Name, Action<IRaftLogStorage> Run);

    /// <summary>The quiet group writes three entries, the churning one then writes 4 entries a step and
    /// snapshots every 5 steps; midway the quiet group's leader changes and replaces its last two entries,
    /// then appends one more; at the end the churning group truncates too.</summary>
    private static List<Step> Workload(int churnSteps)
    {
        var steps = new List<Step>
        {
            new(Quiet, "quiet hs 1", s => s.Save(new HardState(1, 1, 0), [])),
            new(Quiet, "quiet 1..3", s => s.Save(null, Entries(Quiet, 1, 3, 1))),
            new(Churning, "churn hs 1", s => s.Save(new HardState(1, 2, 0), [])),
        };
        ulong last = 0;
        for (var k = 0; k < churnSteps; k++)
        {
            var from = last + 1;
            last += 4;
            var to = last;
            steps.Add(new(Churning, $"churn {from}..{to}", s => s.Save(null, Entries(Churning, from, to, 1))));
            if (k % 5 == 4)
            {
                var at = last - 2;
                steps.Add(new(Churning, $"churn snapshot {at}", s => s.CreateSnapshot(at, Membership.OfVoters(1, 2, 3), System.Text.Encoding.UTF8.GetBytes($"churn-{at}"))));
            }
            if (k == churnSteps / 2)
            {
                steps.Add(new(Quiet, "quiet hs 2", s => s.Save(new HardState(2, 3, 1), [])));
                steps.Add(new(Quiet, "quiet 2..3 replaced by 2", s => s.Save(null, Entries(Quiet, 2, 2, 2))));
                steps.Add(new(Quiet, "quiet 3", s => s.Save(null, Entries(Quiet, 3, 3, 2))));
            }
        }
        var cut = last - 5;
        steps.Add(new(Churning, "churn hs 2", s => s.Save(new HardState(2, 2, 0), [])));
        steps.Add(new(Churning, $"churn {cut}.. replaced", s => s.Save(null, Entries(Churning, cut, cut + 1, 2))));
        return steps;
    }

    private static Dictionary<ulong, string> Expected(List<Step> steps, int count)
    {
        var models = new Dictionary<ulong, MemoryLogStorage> { [Quiet] = new(), [Churning] = new() };
        foreach (var step in steps.Take(count)) step.Run(models[step.Group]);
        return models.ToDictionary(m => m.Key, m => Describe(m.Value));
    }

    [Fact]
    public void AQuietGroupBesideAChurningOneKeepsTheSegmentsBoundedAndBothRecoverExactly()
    {
        var fs = new FaultyFileSystem();
        var options = Options(fs, segmentSlack: 2);
        var steps = Workload(churnSteps: 300);
        var maxSegments = 0;
        var log = SharedWriteAheadLog.Open(options);
        var views = new Dictionary<ulong, WriteAheadLog> { [Quiet] = log.OpenGroup(Quiet), [Churning] = log.OpenGroup(Churning) };
        try
        {
            for (var i = 0; i < steps.Count; i++)
            {
                steps[i].Run(views[steps[i].Group]);
                maxSegments = Math.Max(maxSegments, Segments(fs).Count);
                if (i % 97 == 96) // reopen now and then: recovery sees copies with and without their originals
                {
                    foreach (var view in views.Values) view.Dispose();
                    log.Dispose();
                    log = SharedWriteAheadLog.Open(options);
                    views = new() { [Quiet] = log.OpenGroup(Quiet), [Churning] = log.OpenGroup(Churning) };
                }
                var expected = Expected(steps, i + 1);
                Assert.Equal(expected[Quiet], Describe(views[Quiet]));
                if (i % 50 == 0) Assert.Equal(expected[Churning], Describe(views[Churning]));
            }
            Assert.True(log.CarryForwardCount > 0, "the quiet group was carried forward");
        }
        finally
        {
            foreach (var view in views.Values) view.Dispose();
            log.Dispose();
        }
        var written = WalSegment.TryParse(Segments(fs)[^1])!.Sequence;
        Assert.True(written > 60, $"only {written} segments were written");
        // Live entries: the quiet group's 3 and the churning group's < 24 above its snapshot, ~80 bytes each,
        // so 2 segments' worth at most: 2 (slack) + 1 + 2 x 2, plus the current one.
        Assert.InRange(maxSegments, 1, 8);
        Assert.DoesNotContain(Segments(fs), s => s.EndsWith(WalSegment.FileName(1), StringComparison.Ordinal));

        using var reopened = SharedWriteAheadLog.Open(options);
        var final = Expected(steps, steps.Count);
        foreach (var group in new[] { Quiet, Churning })
        {
            using var view = reopened.OpenGroup(group);
            Assert.Equal(final[group], Describe(view));
        }
    }

    /// <summary>The same workload with carrying kept out of the way: the quiet group holds back every segment
    /// (what the bound above guards against).</summary>
    [Fact]
    public void WithoutCarryForwardTheQuietGroupHoldsBackEverySegment()
    {
        var fs = new FaultyFileSystem();
        using (var log = SharedWriteAheadLog.Open(Options(fs, segmentSlack: 100_000)))
        {
            var views = new Dictionary<ulong, WriteAheadLog> { [Quiet] = log.OpenGroup(Quiet), [Churning] = log.OpenGroup(Churning) };
            foreach (var step in Workload(churnSteps: 100)) step.Run(views[step.Group]);
            Assert.Equal(0, log.CarryForwardCount);
            foreach (var view in views.Values) view.Dispose();
        }
        var segments = Segments(fs);
        Assert.Equal(segments.Count, (int)WalSegment.TryParse(segments[^1])!.Sequence);
        Assert.True(segments.Count > 20, $"{segments.Count} segments");
    }

    /// <summary>A quiet group whose log was carried forward (its first segment gone) then truncates: the
    /// replaced entries do not come back after a reopen, and nothing else is lost.</summary>
    [Fact]
    public void AConflictingAppendAfterACarryForwardRecoversTheNewSuffix()
    {
        var fs = new FaultyFileSystem();
        var options = Options(fs, segmentSlack: 1);
        var model = new MemoryLogStorage();
        using (var log = SharedWriteAheadLog.Open(options))
        {
            using var quiet = log.OpenGroup(Quiet);
            using var churning = log.OpenGroup(Churning);
            void Both(HardState? hs, Entry[] entries) { model.Save(hs, entries); quiet.Save(hs, entries); }
            Both(new HardState(1, 1, 0), Entries(Quiet, 1, 5, 1));
            for (ulong i = 1; log.CarryForwardCount == 0 || Segments(fs).Any(s => s.EndsWith(WalSegment.FileName(1), StringComparison.Ordinal)); i += 4)
            {
                Assert.True(i < 4000, "no carry-forward");
                churning.Save(null, Entries(Churning, i, i + 3, 1));
                churning.CreateSnapshot(i + 3, Membership.OfVoters(1), new byte[] { 1 });
            }
            Both(new HardState(2, 2, 0), Entries(Quiet, 3, 4, 2)); // 3..5 of term 1 replaced by 3..4 of term 2
            Assert.Equal(Describe(model), Describe(quiet));
        }
        using (var log = SharedWriteAheadLog.Open(options))
        {
            using var quiet = log.OpenGroup(Quiet);
            Assert.Equal(Describe(model), Describe(quiet));
            Assert.Equal(4ul, quiet.LastIndex);
            model.Save(null, Entries(Quiet, 5, 5, 2));
            quiet.Save(null, Entries(Quiet, 5, 5, 2));
        }
        using (var log = SharedWriteAheadLog.Open(options))
        {
            using var quiet = log.OpenGroup(Quiet);
            Assert.Equal(Describe(model), Describe(quiet));
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void ACrashAtAnyPointOfACarryForwardLosesAndDuplicatesNothing(double keepTornFraction) =>
        CrashAtEveryFaultPoint(fs => fs.Restart(keepTornFraction), $"torn fraction {keepTornFraction}");

    [Fact]
    public void ACrashWithSectorsPersistedOutOfOrderLosesAndDuplicatesNothing()
    {
        var random = new Random(20);
        CrashAtEveryFaultPoint(fs => fs.RestartWithSectorsOutOfOrder(random, 16), "sectors out of order");
    }

    /// <summary>Every step is one record (entries or a term change, both fsynced) or a snapshot, so a crash
    /// leaves the state after the steps that returned, or after the one in flight too.</summary>
    private static void CrashAtEveryFaultPoint(Action<FaultyFileSystem> restart, string mode)
    {
        var steps = Workload(churnSteps: 80);
        var crashes = 0;
        for (var crashAt = 1; ; crashAt++)
        {
            var fs = new FaultyFileSystem { CrashAt = crashAt };
            var (started, completed, carried) = RunUntilCrash(fs, steps);
            if (!fs.Crashed)
            {
                Assert.Equal(steps.Count, completed);
                Assert.True(carried >= 3, $"only {carried} groups carried forward");
                break;
            }
            crashes++;
            restart(fs);
            CheckRecovery(fs, steps, started, completed, $"crash at point {crashAt} ({mode}) during step {completed}");
        }
        Assert.True(crashes > 100, $"only {crashes} fault points");
    }

    private static (int Started, int Completed, long Carried) RunUntilCrash(FaultyFileSystem fs, List<Step> steps)
    {
        int started = 0, completed = 0;
        SharedWriteAheadLog? log = null;
        var views = new Dictionary<ulong, WriteAheadLog>();
        try
        {
            log = SharedWriteAheadLog.Open(Options(fs, segmentSlack: 1));
            views[Quiet] = log.OpenGroup(Quiet);
            views[Churning] = log.OpenGroup(Churning);
            foreach (var step in steps)
            {
                started++;
                step.Run(views[step.Group]);
                completed++;
            }
        }
        catch (Exception) when (fs.Crashed) { }
        finally
        {
            foreach (var view in views.Values) view.Dispose();
            log?.Dispose();
        }
        return (started, completed, log?.CarryForwardCount ?? 0);
    }

    private static void CheckRecovery(FaultyFileSystem fs, List<Step> steps, int started, int completed, string context)
    {
        var options = Options(fs, segmentSlack: 1);
        var allowed = new List<Dictionary<ulong, string>> { Expected(steps, completed) };
        if (started > completed) allowed.Add(Expected(steps, completed + 1));
        var last = new Dictionary<ulong, ulong>();
        using (var log = SharedWriteAheadLog.Open(options))
        {
            var recovered = new Dictionary<ulong, string>();
            foreach (var group in new[] { Quiet, Churning })
            {
                using var view = log.OpenGroup(group);
                recovered[group] = Describe(view);
                last[group] = view.LastIndex;
            }
            Assert.True(allowed.Any(a => a[Quiet] == recovered[Quiet] && a[Churning] == recovered[Churning]),
                $"{context}: recovered\n  {recovered[Quiet]}\n  {recovered[Churning]}\nallowed\n  " +
                string.Join("\n  ", allowed.Select(a => $"{a[Quiet]}\n  {a[Churning]}")));
            foreach (var group in new[] { Quiet, Churning })
            {
                using var view = log.OpenGroup(group);
                view.Save(null, [E(last[group] + 1, 9, $"after-{group}")]);
            }
        }
        using var again = SharedWriteAheadLog.Open(options);
        foreach (var group in new[] { Quiet, Churning })
        {
            using var view = again.OpenGroup(group);
            Assert.Equal(last[group] + 1, view.LastIndex);
            Assert.Equal(E(last[group] + 1, 9, $"after-{group}"), view.Entries(view.LastIndex, view.LastIndex + 1, long.MaxValue)[0]);
        }
    }
}
