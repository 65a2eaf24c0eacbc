using Coordinator.Grains.Raft;
using Coordinator.Silo.Storage;
using Xunit;
using static Coordinator.Tests.Storage.LogStates;

namespace Coordinator.Tests.Storage;

/// <summary>Group commit across groups: writes of any number of groups queued while the writer is busy go
/// out in one append and one fsync, counted through the file system.</summary>
public sealed class SharedGroupCommitTests
{
    private static WalOptions Options(IWalFileSystem fs) => new()
    {
        DataDir = "/faulty/data", FileSystem = fs, SegmentSizeBytes = 1 << 20, PrepareSegmentsInBackground = false,
    };

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(200)]
    public async Task SavesOfManyGroupsQueuedTogetherCostOneFsyncAsOneGroupsDo(int groups)
    {
        var disk = new FaultyFileSystem();
        var fs = new GatedFileSystem(disk);
        using (var log = SharedWriteAheadLog.Open(Options(fs)))
        {
            var holder = log.OpenGroup(1000); // its save holds the writer inside an fsync
            var views = Enumerable.Range(1, groups).Select(g => log.OpenGroup((ulong)g)).ToList();
            var fsyncs = log.FsyncCount;
            fs.HoldNextFlush();
            var first = holder.SaveAsync(new HardState(1, 1, 0), [E(1, 1)], CancellationToken.None).AsTask();
            fs.WaitUntilHeld();
            var flushes = fs.Flushes; // the held one counted
            var saves = views.Select((v, i) => v.SaveAsync(new HardState(2, 1, 0), Range(1, 3, (ulong)i + 1), CancellationToken.None).AsTask()).ToList();
            fs.Release();
            await first;
            await Task.WhenAll(saves);
            Assert.Equal(1, fs.Flushes - flushes);
            Assert.Equal(2, log.FsyncCount - fsyncs); // the holder's batch, then one for every group's saves
            views.ForEach(v => v.Dispose());
            holder.Dispose();
        }
        disk.Restart(); // anything not fsynced is lost
        using var reopened = SharedWriteAheadLog.Open(Options(disk));
        for (var g = 1; g <= groups; g++)
        {
            using var view = reopened.OpenGroup((ulong)g);
            Assert.Equal(Range(1, 3, (ulong)g), view.Entries(1, 4, long.MaxValue));
            Assert.Equal(new HardState(2, 1, 0), view.HardState);
        }
    }

    [Fact]
    public async Task AnFsyncFailureFailsEveryGroup()
    {
        var fs = new FaultyFileSystem();
        using var log = SharedWriteAheadLog.Open(Options(fs));
        using var a = log.OpenGroup(1);
        using var b = log.OpenGroup(2);
        a.Save(new HardState(1, 1, 0), Range(1, 3, 1));
        b.Save(new HardState(1, 1, 0), Range(1, 3, 1));
        fs.FailFlushAt = fs.Flushes + 1;

        await Assert.ThrowsAsync<WalFailedException>(() => a.SaveAsync(null, Range(4, 5, 1), CancellationToken.None).AsTask());
        Assert.True(log.IsFailed);
        Assert.Throws<WalFailedException>(() => b.Save(null, Range(4, 4, 1)));
        Assert.Throws<WalFailedException>(() => log.OpenGroup(3));
        Assert.Equal(3ul, b.LastIndex);
    }
}
