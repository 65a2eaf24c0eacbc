using Coordinator.Grains.Raft;
using Coordinator.Silo.Storage;
using Xunit;
using static Coordinator.Tests.Storage.LogStates;

namespace Coordinator.Tests.Storage;

/// <summary>
/// A HardState that only advances the commit index is written without an fsync (etcd's raft.MustSync):
/// it is not needed for safety, and syncing it put a second fsync on every commit's path. Term and vote
/// changes, entries and snapshot markers are synced as before; a later fsync (or a clean close) makes an
/// earlier commit-only record durable; a crash before that loses only the commit advance.
/// </summary>
public sealed class CommitOnlyHardStateTests
{
    private static WalOptions Options(FaultyFileSystem fs, long segmentSize = 64 * 1024) => new()
    {
        DataDir = "/faulty/data",
        FileSystem = fs,
        SegmentSizeBytes = segmentSize,
        PrepareSegmentsInBackground = false,
    };

    /// <summary>Runs <paramref name="writes"/>, crashes at the first fault point after them (the closing
    /// fsync, if any), restarts the machine and reopens the WAL.</summary>
    private static WriteAheadLog CrashAfter(FaultyFileSystem fs, WalOptions options, Action<WriteAheadLog> writes,
        Action<FaultyFileSystem>? restart = null)
    {
        using (var wal = WriteAheadLog.Open(options))
        {
            writes(wal);
            fs.CrashAt = fs.Points + 1;
        }
        (restart ?? (f => f.Restart()))(fs);
        return WriteAheadLog.Open(options);
    }

    [Theory]
    [InlineData(1ul, 1ul, 5ul, false)] // commit only
    [InlineData(2ul, 1ul, 3ul, true)]  // new term
    [InlineData(1ul, 2ul, 3ul, true)]  // new vote
    [InlineData(1ul, 1ul, 3ul, false)] // unchanged
    public void MustSyncOnlyWhenTermOrVoteChanges(ulong term, ulong vote, ulong commit, bool expected) =>
        Assert.Equal(expected, SharedWriteAheadLog.MustSync(new HardState(term, vote, commit), new HardState(1, 1, 3)));

    [Fact]
    public void ACommitOnlySaveIsWrittenWithoutAnFsyncAndACrashLosesOnlyTheCommitAdvance()
    {
        var fs = new FaultyFileSystem();
        using var recovered = CrashAfter(fs, Options(fs), wal =>
        {
            wal.Save(new HardState(1, 1, 0), Range(1, 5, 1));
            var flushes = fs.Flushes;
            wal.Save(new HardState(1, 1, 4), []);
            Assert.Equal(flushes, fs.Flushes);
            Assert.Equal(new HardState(1, 1, 4), wal.HardState); // visible to reads at once
        });
        Assert.Equal(new HardState(1, 1, 0), recovered.HardState);
        Assert.Equal(Range(1, 5, 1), recovered.Entries(1, 6, long.MaxValue));
    }

    [Fact]
    public void TheNextSyncedWriteMakesAnEarlierCommitOnlyRecordDurable()
    {
        var fs = new FaultyFileSystem();
        using var recovered = CrashAfter(fs, Options(fs), wal =>
        {
            wal.Save(new HardState(1, 1, 0), Range(1, 5, 1));
            wal.Save(new HardState(1, 1, 4), []);
            var flushes = fs.Flushes;
            wal.Save(null, Range(6, 6, 1));
            Assert.Equal(flushes + 1, fs.Flushes);
        });
        Assert.Equal(new HardState(1, 1, 4), recovered.HardState);
        Assert.Equal(6ul, recovered.LastIndex);
    }

    [Fact]
    public void TermAndVoteChangesAreSynced()
    {
        var fs = new FaultyFileSystem();
        using var recovered = CrashAfter(fs, Options(fs), wal =>
        {
            wal.Save(new HardState(1, 1, 0), Range(1, 2, 1));
            var flushes = fs.Flushes;
            wal.Save(new HardState(2, 0, 2), []);
            wal.Save(new HardState(2, 3, 2), []);
            Assert.Equal(flushes + 2, fs.Flushes);
        });
        Assert.Equal(new HardState(2, 3, 2), recovered.HardState);
    }

    [Fact]
    public void ACleanCloseKeepsTheLastCommitIndex()
    {
        var fs = new FaultyFileSystem();
        using (var wal = WriteAheadLog.Open(Options(fs)))
        {
            wal.Save(new HardState(1, 1, 0), Range(1, 5, 1));
            wal.Save(new HardState(1, 1, 5), []);
        }
        fs.Restart(); // loses nothing: the close synced
        using var recovered = WriteAheadLog.Open(Options(fs));
        Assert.Equal(new HardState(1, 1, 5), recovered.HardState);
    }

    /// <summary>Recovery accepts a torn record only at the end of the last segment, so the old segment's
    /// unsynced commit records must be synced at the roll; a crash then tears unsynced sectors at random.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void ASegmentRollSyncsTheCommitOnlyRecordsLeftInTheOldSegment(int seed)
    {
        var fs = new FaultyFileSystem();
        var options = Options(fs, segmentSize: 200) with { SectorSize = 16 };
        using var recovered = CrashAfter(fs, options, wal =>
        {
            ulong commit = 0;
            for (ulong i = 1; i <= 40; i++)
            {
                wal.Save(null, [E(i, 1, "payload-" + i)]);
                wal.Save(new HardState(1, 1, ++commit), []);
            }
            Assert.True(fs.ListFiles(options.WalDirectory).Count(f => f.EndsWith(".wal")) > 3);
        }, f => f.RestartWithSectorsOutOfOrder(new Random(seed), 16));
        Assert.Equal(40ul, recovered.LastIndex);
        // Only the last commit advance may be lost; every one before it was synced by the next entry's save.
        Assert.InRange(recovered.HardState.Commit, 39ul, 40ul);
    }
}
