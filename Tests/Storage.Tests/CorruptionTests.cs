using Coordinator.Grains.Raft;
using Coordinator.Silo.Storage;
using Xunit;
using static Coordinator.Tests.Storage.LogStates;

namespace Coordinator.Tests.Storage;

/// <summary>Damaged files on a real disk: a torn tail is cut and logged, anything else refuses to open.</summary>
public sealed class CorruptionTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<string> _log = new();

    private WalOptions Options(long segmentSize = 1024 * 1024, bool preallocate = true) =>
        new() { DataDir = _dir.Path, SegmentSizeBytes = segmentSize, PreallocateSegments = preallocate, Log = _log.Add };

    public void Dispose() => _dir.Dispose();

    private string WriteTenSaves(long segmentSize = 1024 * 1024, bool preallocate = true)
    {
        using var wal = WriteAheadLog.Open(Options(segmentSize, preallocate));
        for (ulong i = 1; i <= 10; i++) wal.Save(new HardState(1, 1, i - 1), [E(i, 1)]);
        return Path.Combine(Options().WalDirectory, WalSegment.FileName(1));
    }

    /// <summary>Start offsets of the frames in a segment file.</summary>
    private static List<long> FrameOffsets(byte[] bytes)
    {
        var offsets = new List<long>();
        long offset = 0;
        while (WalFrame.TryRead(bytes, offset, out var record) == FrameStatus.Ok) { offsets.Add(offset); offset += record.FrameLength; }
        return offsets;
    }

    /// <summary>Where the records of a segment file end (the file may go on with preallocated zeros).</summary>
    private static long DataEnd(byte[] bytes)
    {
        long offset = 0;
        while (WalFrame.TryRead(bytes, offset, out var record) == FrameStatus.Ok) offset += record.FrameLength;
        return offset;
    }

    [Fact]
    public void AFlippedByteBeforeTheTailRefusesToOpenNamingFileAndOffset()
    {
        var segment = WriteTenSaves();
        var bytes = File.ReadAllBytes(segment);
        var target = FrameOffsets(bytes)[6];
        bytes[target + WalFrame.HeaderSize + 3] ^= 0x40;
        File.WriteAllBytes(segment, bytes);

        var error = Assert.Throws<WalCorruptException>(() => WriteAheadLog.Open(Options()));
        Assert.Contains(segment, error.Message);
        Assert.Contains($"offset {target}", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ATornLastRecordIsCutOffAndLogged(bool preallocate)
    {
        var segment = WriteTenSaves(preallocate: preallocate);
        var bytes = File.ReadAllBytes(segment);
        var lastFrame = FrameOffsets(bytes)[^1];
        var end = DataEnd(bytes);
        if (preallocate) Array.Clear(bytes, (int)end - 8, 8); // the record's last sector never reached the disk
        else bytes = bytes[..(int)(end - 5)];                 // the append stopped short
        File.WriteAllBytes(segment, bytes);

        using var wal = WriteAheadLog.Open(Options(preallocate: preallocate));
        Assert.Equal(10ul, wal.LastIndex); // only the last HardState record was torn
        Assert.Equal(new HardState(1, 1, 8), wal.HardState);
        Assert.Equal(lastFrame, new FileInfo(segment).Length);
        Assert.Contains(_log, l => l.Contains(segment) && l.Contains($"offset {lastFrame}") && l.Contains("torn"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ABadChecksumInTheLastRecordIsCutOffAndLogged(bool preallocate)
    {
        var segment = WriteTenSaves(preallocate: preallocate);
        var bytes = File.ReadAllBytes(segment);
        bytes[DataEnd(bytes) - 1] ^= 0xFF;
        File.WriteAllBytes(segment, bytes);

        using var wal = WriteAheadLog.Open(Options(preallocate: preallocate));
        Assert.Equal(new HardState(1, 1, 8), wal.HardState);
        Assert.Single(_log);
        wal.Save(null, [E(11, 1)]);
    }

    [Fact]
    public void AZeroFilledTailAfterATornRecordIsCutOff()
    {
        var segment = WriteTenSaves(preallocate: false);
        var bytes = File.ReadAllBytes(segment);
        var lastFrame = FrameOffsets(bytes)[^1];
        bytes[^2] ^= 0x01;
        File.WriteAllBytes(segment, [.. bytes, .. new byte[4096]]);

        using var wal = WriteAheadLog.Open(Options(preallocate: false));
        Assert.Equal(lastFrame, new FileInfo(segment).Length);
    }

    [Fact]
    public void ATornRecordWithAnUnwrittenSectorIsCutOffWithTheValidRecordsAfterIt()
    {
        var segment = Path.Combine(Options().WalDirectory, WalSegment.FileName(1));
        using (var wal = WriteAheadLog.Open(Options()))
        {
            wal.Save(new HardState(1, 1, 0), Range(1, 3, 1));
            wal.Save(null, [E(4, 1, new string('x', 3000))]);
            wal.Save(new HardState(1, 1, 4), [E(5, 1)]);
        }
        var bytes = File.ReadAllBytes(segment);
        var big = FrameOffsets(bytes)[2];
        var sector = (big / 512 + 2) * 512; // a whole sector inside the big record: the disk never wrote it
        Array.Clear(bytes, (int)sector, 512);
        File.WriteAllBytes(segment, bytes);

        using var reopened = WriteAheadLog.Open(Options());
        Assert.Equal(3ul, reopened.LastIndex);
        Assert.Equal(new HardState(1, 1, 0), reopened.HardState);
        Assert.Contains(_log, l => l.Contains(segment) && l.Contains($"offset {big}") && l.Contains("torn"));
    }

    [Fact]
    public void AnUnwrittenRecordHeaderWithDataAfterItIsATornTail()
    {
        var segment = WriteTenSaves();
        var bytes = File.ReadAllBytes(segment);
        var offsets = FrameOffsets(bytes);
        Array.Clear(bytes, (int)offsets[^3], WalFrame.HeaderSize);
        File.WriteAllBytes(segment, bytes);

        using var wal = WriteAheadLog.Open(Options()); // frames: ... entry 9, HardState 8, entry 10, HardState 9
        Assert.Equal(new HardState(1, 1, 7), wal.HardState);
        Assert.Equal(9ul, wal.LastIndex);
        Assert.Contains(_log, l => l.Contains(segment) && l.Contains($"offset {offsets[^3]}") && l.Contains("torn"));
    }

    [Fact]
    public void DataAfterTheEndOfAnEarlierSegmentRefusesToOpen()
    {
        WriteTenSaves(segmentSize: 200);
        var first = Path.Combine(Options().WalDirectory, WalSegment.FileName(1));
        var bytes = File.ReadAllBytes(first);
        var offsets = FrameOffsets(bytes);
        Assert.True(offsets.Count >= 2);
        Array.Clear(bytes, (int)offsets[1], WalFrame.HeaderSize);
        File.WriteAllBytes(first, bytes);

        var error = Assert.Throws<WalCorruptException>(() => WriteAheadLog.Open(Options(segmentSize: 200)));
        Assert.Contains(first, error.Message);
        Assert.Contains($"offset {offsets[1]}", error.Message);
    }

    [Fact]
    public void AMissingMiddleSegmentRefusesToOpenNamingIt()
    {
        WriteTenSaves(segmentSize: 64);
        var walDir = Options().WalDirectory;
        Assert.True(Directory.GetFiles(walDir).Length >= 4);
        File.Delete(Path.Combine(walDir, WalSegment.FileName(2)));

        var error = Assert.Throws<WalCorruptException>(() => WriteAheadLog.Open(Options()));
        Assert.Contains(WalSegment.FileName(2), error.Message);
    }

    [Fact]
    public void ACorruptSnapshotIsDetectedByItsChecksum()
    {
        var store = new SnapshotStore(DiskFileSystem.Instance, Path.Combine(_dir.Path, "snap"));
        var path = store.Save(Snap(7, 2, "state", 1, 2));
        Assert.Equal(Snap(7, 2, "state", 1, 2).Metadata, store.Load(store.List()[0]).Metadata);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0x10;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<WalCorruptException>(() => store.Load(store.List()[0]));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void ACorruptNewestSnapshotFallsBackToThePreviousOne()
    {
        using (var wal = WriteAheadLog.Open(Options()))
        {
            wal.Save(new HardState(1, 1, 10), Range(1, 12, 1));
            wal.CreateSnapshot(4, Membership.OfVoters(1), new byte[] { 4 });
            wal.CreateSnapshot(9, Membership.OfVoters(1), new byte[] { 9 });
        }
        var newest = new SnapshotStore(DiskFileSystem.Instance, Options().SnapshotDirectory).List()[0];
        Assert.Equal(9ul, newest.Index);
        CorruptLastByte(newest.Path);

        using var reopened = WriteAheadLog.Open(Options());
        Assert.Equal(4ul, reopened.Snapshot.Metadata.Index);
        Assert.Equal(Range(5, 12, 1), reopened.Entries(5, 13, long.MaxValue));
        Assert.Contains(_log, l => l.Contains(newest.Path) && l.Contains("falling back"));
    }

    [Fact]
    public void ACorruptOnlySnapshotRefusesToOpen()
    {
        using (var wal = WriteAheadLog.Open(Options()))
        {
            wal.Save(null, Range(1, 5, 1));
            wal.CreateSnapshot(3, Membership.OfVoters(1), new byte[] { 3 });
        }
        var only = new SnapshotStore(DiskFileSystem.Instance, Options().SnapshotDirectory).List().Single();
        CorruptLastByte(only.Path);

        var error = Assert.Throws<WalCorruptException>(() => WriteAheadLog.Open(Options()));
        Assert.Contains(only.Path, error.Message);
    }

    private static void CorruptLastByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(path, bytes);
    }
}
