using Coordinator.Grains.Raft;
using Coordinator.Silo.Storage;
using Xunit;
using static Coordinator.Tests.Storage.LogStates;

namespace Coordinator.Tests.Storage;

/// <summary>
/// A data dir written by the single-group WAL before the shared log (Fixtures/SingleGroupWal, made by commit
/// bdb70f6's WriteAheadLog with GroupId 7, 1 KiB preallocated segments, two snapshots and a truncated suffix;
/// expected.txt is what that version read back) opens as group 7 of the shared log, its segments read in
/// place until the group's snapshots cover them.
/// </summary>
public sealed class SingleGroupWalCompatibilityTests : IDisposable
{
    private const ulong Group = 7;
    private readonly TempDirectory _dir = new();
    private readonly List<string> _log = new();

    public SingleGroupWalCompatibilityTests() => CopyDirectory(Path.Combine(AppContext.BaseDirectory, "Fixtures", "SingleGroupWal"), _dir.Path);

    public void Dispose() => _dir.Dispose();

    private WalOptions Options => new() { DataDir = _dir.Path, GroupId = Group, SegmentSizeBytes = 1024, Log = _log.Add };

    private string LegacyDirectory => WalPaths.LegacyWalDirectory(_dir.Path, Group);

    private string Expected => File.ReadAllText(Path.Combine(_dir.Path, "expected.txt"));

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }

    [Fact]
    public void ItOpensAsTheGroupItBelongedToWithEveryRecord()
    {
        Assert.Equal(3, Directory.GetFiles(LegacyDirectory, "*.wal").Length);
        using (var log = SharedWriteAheadLog.Open(Options))
        {
            Assert.Equal([Group], log.Groups);
            using var group = log.OpenGroup(Group);
            Assert.Equal(Expected, Describe(group));
            using var other = log.OpenGroup(1);
            Assert.Equal(0ul, other.LastIndex);
        }
        Assert.False(File.Exists(Path.Combine(LegacyDirectory, SegmentPipeline.SpareFileName)));
        Assert.Equal(3, Directory.GetFiles(LegacyDirectory, "*.wal").Length); // read in place, not rewritten
        Assert.Equal([WalSegment.FileName(4)], Directory.GetFiles(Options.WalDirectory, "*.wal").Select(Path.GetFileName));
        using var again = WriteAheadLog.Open(Options); // as a single-group user (snapshot restore) opens it
        Assert.Equal(Expected, Describe(again));
        Assert.Empty(_log);
    }

    [Fact]
    public void WritesContinueInTheSharedLogAndTheOldSegmentsGoOnceSnapshotsCoverThem()
    {
        string state;
        using (var wal = WriteAheadLog.Open(Options))
        {
            wal.Save(new HardState(4, 2, 40), Range(38, 45, 4)); // replaces 38..40 of term 3, read from the old segments
            wal.Save(null, Range(46, 60, 4));
            state = Describe(wal);
        }
        using (var wal = WriteAheadLog.Open(Options))
        {
            Assert.Equal(state, Describe(wal));
            Assert.Equal(Range(13, 37, 0).Select(e => e.Index), wal.Entries(13, 38, long.MaxValue).Select(e => e.Index));
            wal.CreateSnapshot(50, Membership.OfVoters(1, 2, 3), new byte[] { 50 });
            Assert.True(Directory.Exists(LegacyDirectory)); // snapshot 12 is still kept, and needs them
            wal.CreateSnapshot(55, Membership.OfVoters(1, 2, 3), new byte[] { 55 });
            Assert.False(Directory.Exists(LegacyDirectory));
            state = Describe(wal);
        }
        using var reopened = WriteAheadLog.Open(Options);
        Assert.Equal(state, Describe(reopened));
        Assert.Equal(56ul, reopened.FirstIndex);
        Assert.Equal(60ul, reopened.LastIndex);
    }

    [Fact]
    public void ATornTailOfTheOldLastSegmentIsCutAsBefore()
    {
        var last = Path.Combine(LegacyDirectory, WalSegment.FileName(3));
        var bytes = File.ReadAllBytes(last);
        long end = 0;
        while (WalFrame.TryRead(bytes, end, out var record) == FrameStatus.Ok) end += record.FrameLength;
        // A record whose last sector never reached the disk: a header and part of a payload, then zeros.
        var torn = new System.Buffers.ArrayBufferWriter<byte>();
        WalFrame.Write(torn, WalRecordType.HardState, Enumerable.Repeat((byte)0xAB, 24).ToArray());
        torn.WrittenSpan[..20].CopyTo(bytes.AsSpan((int)end));
        File.WriteAllBytes(last, bytes);

        using var wal = WriteAheadLog.Open(Options);
        Assert.Equal(Expected, Describe(wal));
        Assert.Contains(_log, l => l.Contains(last) && l.Contains($"offset {end}") && l.Contains("torn"));
    }
}
