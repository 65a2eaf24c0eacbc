using Coordinator.Grains.Raft;
using Coordinator.Silo.Storage;
using Xunit;

namespace Coordinator.Tests.Storage;

/// <summary>
/// Entries that left the WAL's bounded cache are read back from the segment files: identical after appends,
/// overwritten suffixes, reopens, snapshots and segment rolls; damage fails the read; memory stays bounded.
/// </summary>
public sealed class EntryReadBackTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>An entry with <paramref name="size"/> bytes of data that depend on index, term and position.</summary>
    private static Entry Sized(ulong index, ulong term, int size)
    {
        var data = new byte[size];
        for (var i = 0; i < size; i++) data[i] = (byte)(index * 31 + term * 7 + (ulong)i);
        return new Entry(index, term, EntryType.Normal, data);
    }

    /// <summary>Entries from..to of varied sizes (100..1000 bytes).</summary>
    private static Entry[] Batch(ulong from, ulong to, ulong term)
    {
        var list = new List<Entry>();
        for (var i = from; i <= to; i++) list.Add(Sized(i, term, 100 + (int)(i % 7) * 150));
        return list.ToArray();
    }

    private WalOptions DiskOptions(long cacheBytes, long segmentSize = 64L * 1024 * 1024) =>
        new() { DataDir = _dir.Path, EntryCacheBytes = cacheBytes, SegmentSizeBytes = segmentSize };

    [Fact]
    public void EvictedEntriesAreReadBackIdentical()
    {
        using var wal = WriteAheadLog.Open(DiskOptions(cacheBytes: 2000));
        var expected = new List<Entry>();
        for (ulong b = 0; b < 10; b++)
        {
            var batch = Batch(b * 10 + 1, b * 10 + 10, 1);
            wal.Save(new HardState(1, 1, b * 10), batch);
            expected.AddRange(batch);
        }
        Assert.True(wal.FirstCachedIndex > 90, $"entries from {wal.FirstCachedIndex} on are cached");
        Assert.True(wal.CachedEntryBytes <= 2000 + 1024);

        Assert.Equal(expected, wal.Entries(1, 101, long.MaxValue));
        Assert.Equal(expected[44..100], wal.Entries(45, 101, long.MaxValue)); // across the cache boundary
        Assert.Equal(expected[12..13], wal.Entries(13, 14, 0));
        var fiveFit = expected.Take(5).Sum(e => e.Size);
        Assert.Equal(expected[..5], wal.Entries(1, 101, fiveFit));
        Assert.Equal(expected[..5], wal.Entries(1, 101, fiveFit + expected[5].Size - 1));
    }

    [Fact]
    public void CachedEntriesKeepTheirBytesAcrossOverwritesAndChunkBoundaries()
    {
        using var wal = WriteAheadLog.Open(DiskOptions(cacheBytes: 64L * 1024 * 1024));
        // 400 KB entries: three of them do not fit in one 1 MiB cache chunk.
        var first = Enumerable.Range(1, 6).Select(i => Sized((ulong)i, 1, 400_000)).ToArray();
        wal.Save(new HardState(1, 1, 0), first);
        var handedOut = wal.Entries(1, 7, long.MaxValue);
        Assert.Equal(first, handedOut);
        Assert.Equal(1ul, wal.FirstCachedIndex); // all six are served from memory

        var replacement = Enumerable.Range(4, 3).Select(i => Sized((ulong)i, 2, 400_000 + i)).ToArray();
        wal.Save(new HardState(2, 2, 0), replacement); // a new leader's entries replace 4..6
        Assert.Equal([.. first[..3], .. replacement], wal.Entries(1, 7, long.MaxValue));
        Assert.Equal(first, handedOut); // what was returned before is unchanged
    }

    [Fact]
    public void AnOverwrittenSuffixIsReadFromTheNewRecord()
    {
        var options = DiskOptions(cacheBytes: 0);
        var wal = WriteAheadLog.Open(options);
        try
        {
            wal.Save(null, Batch(1, 10, 1));
            wal.Save(null, Batch(11, 20, 1));
            wal.Save(null, Batch(21, 30, 1));
            wal.Save(new HardState(2, 2, 15), Batch(16, 22, 2)); // a new leader replaces 16..30, below the cached tail
            wal.Save(null, Batch(21, 24, 3));                    // and another one replaces 21..22
            Entry[] expected = [.. Batch(1, 15, 1), .. Batch(16, 20, 2), .. Batch(21, 24, 3)];

            for (var round = 0; round < 2; round++)
            {
                Assert.Equal(24ul, wal.LastIndex);
                Assert.Equal(expected, wal.Entries(1, 25, long.MaxValue));
                Assert.True(wal.TryTerm(20, out var term20) && term20 == 2);
                Assert.True(wal.TryTerm(21, out var term21) && term21 == 3);
                wal.Dispose();
                wal = WriteAheadLog.Open(options);
            }
            wal.Save(null, Batch(25, 26, 3));
            Assert.Equal([.. expected, .. Batch(25, 26, 3)], wal.Entries(1, 27, long.MaxValue));
        }
        finally { wal.Dispose(); }
    }

    [Fact]
    public void EntriesSurviveSnapshotsSegmentRollsAndReopens()
    {
        var options = DiskOptions(cacheBytes: 0, segmentSize: 4096) with { RetainSnapshots = 1 };
        var wal = WriteAheadLog.Open(options);
        try
        {
            for (ulong b = 0; b < 20; b++) wal.Save(new HardState(1, 1, b * 10), Batch(b * 10 + 1, b * 10 + 10, 1));
            wal.CreateSnapshot(50, Membership.OfVoters(1), new byte[] { 50 });
            Assert.Equal(Batch(51, 200, 1), wal.Entries(51, 201, long.MaxValue));
            wal.CreateSnapshot(150, Membership.OfVoters(1), new byte[] { 150 });
            Assert.Equal(Batch(151, 200, 1), wal.Entries(151, 201, long.MaxValue));
            wal.Save(null, Batch(190, 230, 2));
            Assert.False(File.Exists(Path.Combine(options.WalDirectory, WalSegment.FileName(1))));
            Assert.True(Directory.GetFiles(options.WalDirectory).Length > 1);

            wal.Dispose();
            wal = WriteAheadLog.Open(options);
            Assert.Equal(151ul, wal.FirstIndex);
            Assert.Equal([.. Batch(151, 189, 1), .. Batch(190, 230, 2)], wal.Entries(151, 231, long.MaxValue));
            Assert.Equal(new byte[] { 150 }, wal.Snapshot.Data.ToArray());
        }
        finally { wal.Dispose(); }
    }

    [Fact]
    public void ADamagedRecordOfAnEvictedEntryFailsTheReadNamingFileAndOffset()
    {
        var fs = new FaultyFileSystem();
        var options = new WalOptions { DataDir = "/faulty", FileSystem = fs, EntryCacheBytes = 0, SegmentSizeBytes = 64 * 1024 };
        using var wal = WriteAheadLog.Open(options);
        wal.Save(null, Batch(1, 5, 1));
        wal.Save(null, Batch(6, 10, 1));
        var segment = Path.Combine(options.WalDirectory, WalSegment.FileName(1));
        var secondRecord = FrameOffsets(fs.ReadAllBytes(segment))[1];
        fs.FlipByte(segment, secondRecord + WalFrame.HeaderSize + 100);

        Assert.Equal(Batch(1, 5, 1), wal.Entries(1, 6, long.MaxValue));
        var error = Assert.Throws<WalCorruptException>(() => wal.Entries(1, 11, long.MaxValue));
        Assert.Contains(segment, error.Message);
        Assert.Contains($"offset {secondRecord}", error.Message);
        Assert.Equal(Batch(10, 10, 1), wal.Entries(10, 11, long.MaxValue)); // still cached
    }

    [Fact]
    public void MemoryStaysBoundedWhileManyMegabytesAreWritten()
    {
        const long budget = 256 * 1024;
        const int entrySize = 4096;
        using var wal = WriteAheadLog.Open(DiskOptions(budget));
        for (ulong next = 1; next <= 4096; next += 64) // 16 MiB
        {
            var batch = Enumerable.Range(0, 64).Select(i => Sized(next + (ulong)i, 1, entrySize)).ToList();
            wal.Save(new HardState(1, 1, next), batch);
            Assert.True(wal.CachedEntryBytes <= budget, $"{wal.CachedEntryBytes} bytes cached");
        }
        Assert.True(wal.CachedEntryBytes > budget / 2);

        for (ulong lo = 1; lo <= 4096;)
        {
            var read = wal.Entries(lo, 4097, 1 << 20);
            Assert.Equal((int)Math.Min(4097 - lo, (ulong)((1 << 20) / Sized(1, 1, entrySize).Size)), read.Count);
            for (var i = 0; i < read.Count; i++) Assert.Equal(Sized(lo + (ulong)i, 1, entrySize), read[i]);
            lo += (ulong)read.Count;
        }
    }

    /// <summary>A follower catching up writes one record holding many entries (50,000 in a nemesis run); reading
    /// them back reads that record once, not once per entry (which took minutes at a restart).</summary>
    [Fact]
    public void ARecordLargerThanOneReadIsReadOncePerCall()
    {
        var fs = new FaultyFileSystem();
        var options = new WalOptions { DataDir = "/faulty", FileSystem = fs, EntryCacheBytes = 0, SegmentSizeBytes = 64L * 1024 * 1024 };
        var entries = Enumerable.Range(1, 20_000).Select(i => Sized((ulong)i, 1, 300)).ToArray(); // one ~6 MiB record
        using var wal = WriteAheadLog.Open(options);
        wal.Save(new HardState(1, 1, 20_000), entries);
        var before = fs.BytesReadAt;
        Assert.Equal(entries, wal.Entries(1, 20_001, long.MaxValue));
        var read = fs.BytesReadAt - before;
        Assert.True(read < 2 * entries.Sum(e => (long)e.Data.Length), $"read {read} bytes for {entries.Length} entries of one record");
    }

    [Fact]
    public void TheSnapshotDataIsReadFromItsFileOnlyWhenAskedFor()
    {
        var fs = new FaultyFileSystem();
        var options = new WalOptions { DataDir = "/faulty", FileSystem = fs, EntryCacheBytes = 0, SegmentSizeBytes = 64 * 1024 };
        var data = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        using (var wal = WriteAheadLog.Open(options))
        {
            wal.Save(new HardState(1, 1, 8), Batch(1, 10, 1));
            wal.CreateSnapshot(8, Membership.OfVoters(1), data);
        }
        using var reopened = OpenWithoutHeldSnapshot(options);
        fs.WholeFileReads.Clear();

        Assert.Equal(8ul, reopened.SnapshotMetadata.Index);
        var replica = new Replica(new ReplicaOptions { Id = 1 }, reopened);
        Assert.Equal(Membership.OfVoters(1).Voters, replica.Membership.Voters);
        Assert.True(reopened.ShouldSnapshot(8 + options.SnapshotCount));
        Assert.DoesNotContain(fs.WholeFileReads, p => p.StartsWith(options.SnapshotDirectory, StringComparison.Ordinal));

        var snapshot = reopened.Snapshot;
        Assert.Equal(data, snapshot.Data.ToArray());
        Assert.Equal(new SnapshotMetadata(8, 1, snapshot.Metadata.Membership), snapshot.Metadata);
        Assert.Single(fs.WholeFileReads, p => p.StartsWith(options.SnapshotDirectory, StringComparison.Ordinal));
        Assert.Same(snapshot, reopened.Snapshot); // held by the caller: not read again
    }

    [Fact]
    public async Task ReadsRunBesideWritesSnapshotsAndSegmentDeletion()
    {
        var options = DiskOptions(cacheBytes: 4096, segmentSize: 16 * 1024) with { RetainSnapshots = 1 };
        using var wal = WriteAheadLog.Open(options);
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            try
            {
                for (ulong b = 0; b < 200; b++)
                {
                    wal.Save(new HardState(1, 1, b * 10), Batch(b * 10 + 1, b * 10 + 10, 1));
                    if (b % 20 == 19) wal.CreateSnapshot(b * 10, Membership.OfVoters(1), BitConverter.GetBytes(b * 10));
                }
            }
            finally { stop.Cancel(); }
        });
        var reads = 0;
        while (!stop.IsCancellationRequested)
        {
            var first = wal.FirstIndex;
            var last = wal.LastIndex;
            if (last < first) continue;
            try
            {
                var entries = wal.Entries(first, last + 1, 64 * 1024);
                for (var i = 0; i < entries.Count; i++) Assert.Equal(Batch(first + (ulong)i, first + (ulong)i, 1)[0], entries[i]);
                reads++;
            }
            catch (ArgumentOutOfRangeException) { } // a snapshot compacted the log between the calls
            var snapshot = wal.Snapshot;
            if (!snapshot.IsEmpty) Assert.Equal(snapshot.Metadata.Index, BitConverter.ToUInt64(snapshot.Data.Span));
        }
        await writer;
        Assert.True(reads > 0);
        Assert.Equal(Batch(1991, 2000, 1), wal.Entries(1991, 2001, long.MaxValue));
    }

    /// <summary>Opens in a frame of its own so the snapshot recovery loaded is garbage afterwards, then
    /// collects it.</summary>
    private static WriteAheadLog OpenWithoutHeldSnapshot(WalOptions options)
    {
        var wal = WriteAheadLog.Open(options);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return wal;
    }

    private static List<long> FrameOffsets(byte[] bytes)
    {
        var offsets = new List<long>();
        long offset = 0;
        while (WalFrame.TryRead(bytes, offset, out var record) == FrameStatus.Ok) { offsets.Add(offset); offset += record.FrameLength; }
        return offsets;
    }
}
