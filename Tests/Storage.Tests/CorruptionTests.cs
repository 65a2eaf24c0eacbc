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

    private WalOptions Options(long segmentSize = 64L * 1024 * 1024) =>
        new() { DataDir = _dir.Path, SegmentSizeBytes = segmentSize, Log = _log.Add };

    public void Dispose() => _dir.Dispose();

    private string WriteTenSaves(long segmentSize = 64L * 1024 * 1024)
    {
        using var wal = WriteAheadLog.Open(Options(segmentSize));
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

    [Fact]
    public void ATruncatedLastRecordIsCutOffAndLogged()
    {
        var segment = WriteTenSaves();
        var length = new FileInfo(segment).Length;
        var lastFrame = FrameOffsets(File.ReadAllBytes(segment))[^1];
        using (var f = new FileStream(segment, FileMode.Open)) f.SetLength(length - 5);

        using var wal = WriteAheadLog.Open(Options());
        Assert.Equal(10ul, wal.LastIndex); // only the last HardState record was torn
        Assert.Equal(new HardState(1, 1, 8), wal.HardState);
        Assert.Equal(lastFrame, new FileInfo(segment).Length);
        Assert.Contains(_log, l => l.Contains(segment) && l.Contains($"offset {lastFrame}") && l.Contains("torn"));
    }

    [Fact]
    public void ABadChecksumInTheLastRecordIsCutOffAndLogged()
    {
        var segment = WriteTenSaves();
        var bytes = File.ReadAllBytes(segment);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(segment, bytes);

        using var wal = WriteAheadLog.Open(Options());
        Assert.Equal(new HardState(1, 1, 8), wal.HardState);
        Assert.Single(_log);
        wal.Save(null, [E(11, 1)]);
    }

    [Fact]
    public void AZeroFilledTailAfterATornRecordIsCutOff()
    {
        var segment = WriteTenSaves();
        var bytes = File.ReadAllBytes(segment);
        var lastFrame = FrameOffsets(bytes)[^1];
        bytes[^2] ^= 0x01;
        File.WriteAllBytes(segment, [.. bytes, .. new byte[4096]]);

        using var wal = WriteAheadLog.Open(Options());
        Assert.Equal(lastFrame, new FileInfo(segment).Length);
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
