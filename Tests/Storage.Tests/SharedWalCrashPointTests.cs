using Coordinator.Grains.Raft;
using Coordinator.Silo.Storage;
using Xunit;
using static Coordinator.Tests.Storage.LogStates;

namespace Coordinator.Tests.Storage;

/// <summary>
/// Several groups of one shared log run the crash workload side by side (each with its own data, through
/// <see cref="GroupTaggedStorage"/>), while one more group is created, snapshotted and removed; the machine
/// crashes at every fault point in turn. After recovery every group shows a state its own acknowledged
/// steps allow (nothing acknowledged is lost in any group, nothing of one group shows in another), and the
/// removed group is either whole or gone with its snapshots.
/// </summary>
public sealed class SharedWalCrashPointTests
{
    private const int SectorSize = 16;
    private static readonly ulong[] Groups = [1, 2, 3];
    private const ulong Removed = 9;
    private const int RemoveAtRound = 8;

    private static WalOptions Options(FaultyFileSystem fs) => new()
    {
        DataDir = "/faulty/data",
        SegmentSizeBytes = 400, // rolls every few batches, each new segment headed by every group's state
        EntryCacheBytes = 0,
        PrepareSegmentsInBackground = false,
        SectorSize = SectorSize,
        FileSystem = fs,
    };

    private static Func<IRaftLogStorage, IRaftLogStorage> Tagged(ulong group) => s => new GroupTaggedStorage(s, group);

    /// <summary>What the workload did before the crash: per group, steps started and steps returned.</summary>
    private sealed class Progress
    {
        public readonly Dictionary<ulong, int> Started = Groups.ToDictionary(g => g, _ => 0);
        public readonly Dictionary<ulong, int> Completed = Groups.ToDictionary(g => g, _ => 0);
        public bool DoomedSaved;
        public bool RemovalStarted;
        public bool RemovalCompleted;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void GroupsWrittenInTurnLoseNothingAcknowledgedAtAnyCrashPoint(double keepTornFraction) =>
        CrashAtEveryFaultPoint(concurrent: false, fs => fs.Restart(keepTornFraction), $"torn fraction {keepTornFraction}");

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void GroupsWrittenInTurnLoseNothingWithSectorsPersistedOutOfOrder(int seed)
    {
        var crash = 0;
        CrashAtEveryFaultPoint(concurrent: false, fs => fs.RestartWithSectorsOutOfOrder(new Random(seed * 1000 + ++crash), SectorSize), $"sector seed {seed}");
    }

    /// <summary>The groups' steps of a round run at once, so their writes share batches and fsyncs; the order
    /// of fault points then varies from run to run, the check does not.</summary>
    [Fact]
    public void GroupsWritingConcurrentlyLoseNothingAcknowledgedAtAnyCrashPoint() =>
        CrashAtEveryFaultPoint(concurrent: true, fs => fs.Restart(0.5), "concurrent");

    private static void CrashAtEveryFaultPoint(bool concurrent, Action<FaultyFileSystem> restart, string mode)
    {
        var crashes = 0;
        for (var crashAt = 1; ; crashAt++)
        {
            var fs = new FaultyFileSystem { CrashAt = crashAt };
            var progress = RunUntilCrash(fs, concurrent);
            if (!fs.Crashed)
            {
                Assert.All(Groups, g => Assert.Equal(CrashWorkload.Steps.Count, progress.Completed[g]));
                break;
            }
            crashes++;
            restart(fs);
            CheckRecovery(fs, progress, $"crash at point {crashAt} ({mode})");
        }
        Assert.True(crashes > 100, $"only {crashes} fault points");
    }

    private static Progress RunUntilCrash(FaultyFileSystem fs, bool concurrent)
    {
        var progress = new Progress();
        SharedWriteAheadLog? log = null;
        var views = new List<WriteAheadLog>();
        try
        {
            log = SharedWriteAheadLog.Open(Options(fs));
            foreach (var g in Groups) views.Add(log.OpenGroup(g));
            using (var doomed = log.OpenGroup(Removed))
            {
                doomed.Save(new HardState(1, 1, 2), Range(1, 3, 1));
                doomed.CreateSnapshot(2, Membership.OfVoters(1), new byte[] { 9, 9 });
            }
            progress.DoomedSaved = true;
            for (var round = 0; round < CrashWorkload.Steps.Count; round++)
            {
                if (round == RemoveAtRound)
                {
                    progress.RemovalStarted = true;
                    log.RemoveGroup(Removed);
                    progress.RemovalCompleted = true;
                }
                var step = CrashWorkload.Steps[round];
                void Run(int i)
                {
                    var g = Groups[i];
                    lock (progress) progress.Started[g]++;
                    step.Run(new GroupTaggedStorage(views[i], g));
                    lock (progress) progress.Completed[g]++;
                }
                if (concurrent) Task.WaitAll(Enumerable.Range(0, Groups.Length).Select(i => Task.Run(() => Run(i))).ToArray());
                else for (var i = 0; i < Groups.Length; i++) Run(i);
            }
        }
        catch (Exception) when (fs.Crashed) { }
        finally
        {
            foreach (var view in views) view.Dispose();
            log?.Dispose();
        }
        return progress;
    }

    private static void CheckRecovery(FaultyFileSystem fs, Progress progress, string context)
    {
        var options = Options(fs);
        var last = new Dictionary<ulong, ulong>();
        using (var log = SharedWriteAheadLog.Open(options))
        {
            foreach (var g in Groups)
            {
                using var view = log.OpenGroup(g);
                var recovered = Describe(view);
                var allowed = CrashWorkload.AllowedAfterCrash(progress.Completed[g], progress.Started[g] > progress.Completed[g], Tagged(g));
                Assert.True(allowed.Contains(recovered),
                    $"{context}, group {g} after {progress.Completed[g]} steps: recovered\n  {recovered}\nallowed\n  {string.Join("\n  ", allowed)}");
                last[g] = view.LastIndex;
                view.Save(null, [E(view.LastIndex + 1, 9, $"after-{g}")]);
            }
            CheckRemovedGroup(fs, log, progress, context);
        }
        using var again = SharedWriteAheadLog.Open(options);
        foreach (var g in Groups)
        {
            using var view = again.OpenGroup(g);
            Assert.Equal(last[g] + 1, view.LastIndex);
            Assert.Equal(E(last[g] + 1, 9, $"after-{g}"), view.Entries(view.LastIndex, view.LastIndex + 1, long.MaxValue)[0]);
        }
    }

    private static void CheckRemovedGroup(FaultyFileSystem fs, SharedWriteAheadLog log, Progress progress, string context)
    {
        var snapshotFiles = fs.ListFiles(WalPaths.SnapshotDirectory("/faulty/data", Removed)).Count(f => f.EndsWith(".snap", StringComparison.Ordinal));
        using var view = log.OpenGroup(Removed);
        var whole = view.LastIndex == 3 && view.SnapshotMetadata.Index == 2 && view.Snapshot.Data.Span.SequenceEqual(new byte[] { 9, 9 });
        var gone = view.LastIndex == 0 && view.SnapshotMetadata.Index == 0 && snapshotFiles == 0;
        if (progress.RemovalCompleted) Assert.True(gone, $"{context}: group {Removed} is still there after its removal was acknowledged");
        else if (progress.RemovalStarted) Assert.True(whole || gone, $"{context}: group {Removed} is half removed");
        else if (progress.DoomedSaved) Assert.True(whole, $"{context}: group {Removed} lost acknowledged writes");
        else if (view.LastIndex == 0) Assert.Equal(0, snapshotFiles);
    }
}
