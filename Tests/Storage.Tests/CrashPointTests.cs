using Coordinator.Silo.Storage;
using Xunit;
using static Coordinator.Tests.Storage.LogStates;

namespace Coordinator.Tests.Storage;

/// <summary>
/// Crashes the workload at every fault point (each write, fsync, create, rename, delete) in turn, restarts
/// the simulated machine and checks recovery: every acknowledged step is there, no partial record shows,
/// and the log is exactly what some prefix of the steps produces. Segments are preallocated, so unsynced
/// writes overwrite zeros that a crash brings back.
/// </summary>
public sealed class CrashPointTests
{
    private const int SectorSize = 16; // small enough to tear the workload's small records

    private static WalOptions Options(FaultyFileSystem fs, List<string>? log = null) => new()
    {
        DataDir = "/faulty/data",
        GroupId = 3,
        SegmentSizeBytes = 160,
        EntryCacheBytes = 0, // every read but of the newest entry goes to the (simulated) files
        PrepareSegmentsInBackground = false, // fault points in a fixed order
        SectorSize = SectorSize,
        FileSystem = fs,
        Log = log is null ? null : log.Add,
    };

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void RecoveryAfterACrashAtEveryFaultPointIsAPrefixOfTheWorkload(double keepTornFraction) =>
        CrashAtEveryFaultPoint(fs => fs.Restart(keepTornFraction), $"torn fraction {keepTornFraction}");

    /// <summary>The disk persists the sectors of unsynced writes in any order: a later record may survive
    /// where an earlier one was torn, or a header may be lost under data that was written.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RecoveryAfterACrashWithSectorsPersistedOutOfOrderIsAPrefixOfTheWorkload(int seed)
    {
        var crash = 0;
        CrashAtEveryFaultPoint(fs => fs.RestartWithSectorsOutOfOrder(new Random(seed * 1000 + ++crash), SectorSize), $"sector seed {seed}");
    }

    private static void CrashAtEveryFaultPoint(Action<FaultyFileSystem> restart, string mode)
    {
        var crashes = 0;
        for (var crashAt = 1; ; crashAt++)
        {
            var fs = new FaultyFileSystem { CrashAt = crashAt };
            var completed = RunUntilCrash(fs);
            if (!fs.Crashed)
            {
                Assert.Equal(CrashWorkload.Steps.Count, completed);
                break;
            }
            crashes++;
            restart(fs);
            CheckRecovery(fs, completed, $"crash at point {crashAt} during step {completed}, {mode}");
        }
        Assert.True(crashes > 40, $"only {crashes} fault points");
    }

    [Fact]
    public void CompletedWorkloadRemovesOldSegmentsAndSnapshots()
    {
        var fs = new FaultyFileSystem();
        Assert.Equal(CrashWorkload.Steps.Count, RunUntilCrash(fs));
        var options = Options(fs);
        Assert.Equal(2, fs.ListFiles(options.SnapshotDirectory).Count);
        Assert.DoesNotContain(Path.Combine(options.WalDirectory, WalSegment.FileName(1)), fs.ListFiles(options.WalDirectory));
        using var wal = WriteAheadLog.Open(options);
        Assert.Equal(CrashWorkload.ModelState(CrashWorkload.Steps.Count), Describe(wal));
    }

    /// <summary>Runs the steps; returns how many returned successfully before the crash (if any).</summary>
    private static int RunUntilCrash(FaultyFileSystem fs)
    {
        var completed = 0;
        WriteAheadLog? wal = null;
        try
        {
            wal = WriteAheadLog.Open(Options(fs));
            foreach (var step in CrashWorkload.Steps)
            {
                step.Run(wal);
                completed++;
            }
        }
        catch (Exception) when (fs.Crashed) { }
        finally { wal?.Dispose(); }
        return completed;
    }

    private static void CheckRecovery(FaultyFileSystem fs, int completed, string context)
    {
        string recovered;
        ulong last;
        using (var wal = WriteAheadLog.Open(Options(fs)))
        {
            recovered = Describe(wal);
            last = wal.LastIndex;
            wal.Save(null, [E(last + 1, 9)]);
        }
        var allowed = CrashWorkload.AllowedAfterCrash(completed);
        Assert.True(allowed.Contains(recovered), $"{context}: recovered\n  {recovered}\nallowed\n  {string.Join("\n  ", allowed)}");
        using var again = WriteAheadLog.Open(Options(fs));
        Assert.Equal(last + 1, again.LastIndex);
    }
}
