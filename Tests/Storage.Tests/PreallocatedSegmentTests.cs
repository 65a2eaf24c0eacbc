using Coordinator.Grains.Raft;
using Coordinator.Silo.Storage;
using Xunit;
using static Coordinator.Tests.Storage.LogStates;

namespace Coordinator.Tests.Storage;

/// <summary>Segments are created full of zeros from a prepared spare; appends overwrite them and a reopened
/// segment continues after its last record.</summary>
public sealed class PreallocatedSegmentTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<string> _log = new();

    public void Dispose() => _dir.Dispose();

    private WalOptions Options(long segmentSize) => new() { DataDir = _dir.Path, SegmentSizeBytes = segmentSize, Log = _log.Add };

    private static long DataEnd(byte[] bytes)
    {
        long offset = 0;
        while (WalFrame.TryRead(bytes, offset, out var record) == FrameStatus.Ok) offset += record.FrameLength;
        return offset;
    }

    [Fact]
    public void SegmentsArePreallocatedAndAReopenedOneIsAppendedToAfterItsRecords()
    {
        const int segmentSize = 64 * 1024;
        var options = Options(segmentSize);
        var payload = new string('v', 1000);
        for (var round = 0; round < 3; round++)
        {
            using var wal = WriteAheadLog.Open(options);
            for (var i = 0; i < 50; i++) wal.Save(new HardState(1, 1, wal.LastIndex), [E(wal.LastIndex + 1, 1, payload)]);
        }
        using (var wal = WriteAheadLog.Open(options))
        {
            Assert.Equal(150ul, wal.LastIndex);
            Assert.All(wal.Entries(1, 151, long.MaxValue), e => Assert.Equal(payload, System.Text.Encoding.UTF8.GetString(e.Data.Span)));
        }
        var segments = Directory.GetFiles(options.WalDirectory, "*.wal").Order().ToList();
        Assert.True(segments.Count >= 3, $"{segments.Count} segments");
        Assert.All(segments, s => Assert.True(new FileInfo(s).Length >= segmentSize, $"{s} is {new FileInfo(s).Length} bytes"));
        var last = File.ReadAllBytes(segments[^1]);
        Assert.Equal(segmentSize, last.Length);
        Assert.True(last.AsSpan((int)DataEnd(last)).IndexOfAnyExcept((byte)0) < 0);
        Assert.Empty(_log); // nothing was torn
    }

    [Fact]
    public void WithoutPreallocationSegmentsGrowByAppending()
    {
        var options = Options(4096) with { PreallocateSegments = false };
        using (var wal = WriteAheadLog.Open(options)) wal.Save(new HardState(1, 1, 0), Range(1, 3, 1));
        var first = File.ReadAllBytes(Path.Combine(options.WalDirectory, WalSegment.FileName(1)));
        Assert.Equal(DataEnd(first), first.Length);
        using var reopened = WriteAheadLog.Open(options);
        Assert.Equal(Range(1, 3, 1), reopened.Entries(1, 4, long.MaxValue));
    }

    [Fact]
    public void ALeftoverSpareWithDataIsRewrittenBeforeUse()
    {
        var options = Options(4096) with { PrepareSegmentsInBackground = false };
        Directory.CreateDirectory(options.WalDirectory);
        var garbage = new byte[4096];
        Random.Shared.NextBytes(garbage);
        File.WriteAllBytes(Path.Combine(options.WalDirectory, "segment.spare"), garbage);

        using (var wal = WriteAheadLog.Open(options)) wal.Save(new HardState(1, 1, 0), Range(1, 3, 1));
        var first = File.ReadAllBytes(Path.Combine(options.WalDirectory, WalSegment.FileName(1)));
        Assert.Equal(4096, first.Length);
        Assert.True(first.AsSpan((int)DataEnd(first)).IndexOfAnyExcept((byte)0) < 0);
        using var reopened = WriteAheadLog.Open(options);
        Assert.Equal(Range(1, 3, 1), reopened.Entries(1, 4, long.MaxValue));
    }

    [Theory]
    [InlineData(4096, true)]   // complete and all zeros: used as it is
    [InlineData(4000, false)]  // cut short: written again
    public void ALeftoverSpareIsReusedOnlyWhenComplete(int spareLength, bool reused)
    {
        var fs = new FaultyFileSystem();
        var options = new WalOptions { DataDir = "/faulty", FileSystem = fs, SegmentSizeBytes = 4096, PrepareSegmentsInBackground = false };
        fs.CreateDirectory(options.WalDirectory);
        using (var spare = fs.OpenAppend(Path.Combine(options.WalDirectory, "segment.spare")))
        {
            spare.Append(new byte[spareLength]);
            spare.Flush();
        }
        var flushes = fs.Flushes;

        using var wal = WriteAheadLog.Open(options); // the first segment is made from the spare
        Assert.Equal(reused ? flushes : flushes + 1, fs.Flushes);
        Assert.Equal(4096, fs.ReadAllBytes(Path.Combine(options.WalDirectory, WalSegment.FileName(1))).Length);
    }
}
