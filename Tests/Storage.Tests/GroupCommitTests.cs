using Coordinator.Grains.Raft;
using Coordinator.Silo.Storage;
using Xunit;
using static Coordinator.Tests.Storage.LogStates;

namespace Coordinator.Tests.Storage;

public sealed class GroupCommitTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task FiftyOutstandingSavesShareFsyncs()
    {
        using (var wal = WriteAheadLog.Open(new WalOptions { DataDir = _dir.Path }))
        {
            var saves = new List<Task>();
            for (ulong i = 1; i <= 50; i++) saves.Add(wal.SaveAsync(new HardState(1, 1, i - 1), [E(i, 1)], CancellationToken.None).AsTask());
            await Task.WhenAll(saves);
            Assert.True(wal.FsyncCount < 50, $"{wal.FsyncCount} fsyncs for 50 saves");
            Assert.Equal(50ul, wal.LastIndex);
        }
        using var reopened = WriteAheadLog.Open(new WalOptions { DataDir = _dir.Path });
        Assert.Equal(Range(1, 50, 1), reopened.Entries(1, 51, long.MaxValue));
        Assert.Equal(new HardState(1, 1, 49), reopened.HardState);
    }

    [Fact]
    public async Task FiftyConcurrentCallersShareFsyncs()
    {
        using var wal = WriteAheadLog.Open(new WalOptions { DataDir = _dir.Path });
        using var start = new ManualResetEventSlim();
        var saves = Enumerable.Range(1, 50).Select(i => Task.Run(async () =>
        {
            start.Wait();
            await wal.SaveAsync(new HardState((ulong)i, 1, 0), [], CancellationToken.None);
        })).ToArray();
        start.Set();
        await Task.WhenAll(saves);
        Assert.True(wal.FsyncCount < 50, $"{wal.FsyncCount} fsyncs for 50 saves");
    }

    [Fact]
    public async Task AnFsyncFailureFailsThatWriteAndEveryLaterOne()
    {
        var fs = new FaultyFileSystem();
        var options = new WalOptions { DataDir = "/faulty", FileSystem = fs, SegmentSizeBytes = 64 * 1024, PrepareSegmentsInBackground = false };
        using var wal = WriteAheadLog.Open(options);
        wal.Save(new HardState(1, 1, 0), Range(1, 3, 1));
        fs.FailFlushAt = fs.Flushes + 1;

        var failed = await Assert.ThrowsAsync<WalFailedException>(() => wal.SaveAsync(null, Range(4, 5, 1), CancellationToken.None).AsTask());
        Assert.IsType<IOException>(failed.InnerException);
        Assert.True(wal.IsFailed);
        Assert.Throws<WalFailedException>(() => wal.Save(null, Range(4, 5, 1)));
        Assert.Throws<WalFailedException>(() => wal.Save(new HardState(2, 1, 0), []));
        Assert.Throws<WalFailedException>(() => wal.CreateSnapshot(2, Membership.OfVoters(1), new byte[] { 2 }));
        Assert.Equal(3ul, wal.LastIndex); // nothing after the failure became visible
    }

    [Fact]
    public void ShouldSnapshotCountsFromTheLastSnapshot()
    {
        using var wal = WriteAheadLog.Open(new WalOptions { DataDir = _dir.Path, SnapshotCount = 10 });
        wal.Save(null, Range(1, 25, 1));
        Assert.False(wal.ShouldSnapshot(9));
        Assert.True(wal.ShouldSnapshot(10));
        wal.CreateSnapshot(10, Membership.OfVoters(1), new byte[] { 1 });
        Assert.False(wal.ShouldSnapshot(19));
        Assert.True(wal.ShouldSnapshot(20));
        Assert.Equal(100_000ul, new WalOptions { DataDir = "x" }.SnapshotCount);
    }
}
