using Coordinator.Grains.Raft;
using Coordinator.Silo.Storage;
using Xunit;

namespace Coordinator.Tests.Storage;

/// <summary>
/// Snapshots of our own state machine are taken in three steps (prepare on the log's thread, stream the file
/// on any thread, commit the marker): the streamed file is the same as an in-memory one, the log keeps being
/// written while the file is streamed, and a snapshot overtaken by a newer one commits nothing.
/// </summary>
public sealed class StreamedSnapshotTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private WalOptions Options => new() { DataDir = _dir.Path, SegmentSizeBytes = 64 * 1024, PreallocateSegments = false };

    private static Entry[] Entries(ulong from, ulong to, ulong term) =>
        Enumerable.Range((int)from, (int)(to - from + 1))
            .Select(i => new Entry((ulong)i, term, EntryType.Normal, BitConverter.GetBytes(i))).ToArray();

    private static byte[] Data(int size, int seed) => Enumerable.Range(0, size).Select(i => (byte)(i * 7 + seed)).ToArray();

    [Fact]
    public void A_streamed_file_equals_the_in_memory_encoding_and_loads_back()
    {
        var store = new SnapshotStore(DiskFileSystem.Instance, Path.Combine(_dir.Path, "snap"));
        var metadata = new SnapshotMetadata(42, 3, Membership.OfVoters(1, 2, 3));
        var data = Data(3 * 1024 * 1024 + 17, 5); // more than the stream's buffer, not a multiple of it
        var path = store.Save(metadata, data.Length, stream =>
        {
            for (var at = 0; at < data.Length; at += 1000) stream.Write(data, at, Math.Min(1000, data.Length - at));
        });
        Assert.Equal(SnapshotFileCodec.Encode(new Snapshot(metadata, data)), File.ReadAllBytes(path));
        var loaded = store.Load(42, 3);
        Assert.Equal(metadata, loaded.Metadata);
        Assert.Equal(data, loaded.Data.ToArray());
    }

    [Fact]
    public void A_paced_save_syncs_as_it_goes_keeps_the_rate_and_writes_the_same_file()
    {
        var fs = new FaultyFileSystem();
        var pace = new SnapshotWritePace(BytesPerSecond: 16L << 20, SyncEveryBytes: 2L << 20);
        var paced = new SnapshotStore(fs, "/paced", pace: pace);
        var metadata = new SnapshotMetadata(9, 2, Membership.OfVoters(1));
        var data = Data(5 * 1024 * 1024 + 3, 1); // five 1 MiB buffers and a tail
        var started = System.Diagnostics.Stopwatch.StartNew();
        var path = paced.Save(metadata, data.Length, stream => stream.Write(data));
        var elapsed = started.Elapsed;

        // Two more syncs than an unpaced save: after 2 and after 4 MiB of data.
        var plainFs = new FaultyFileSystem();
        new SnapshotStore(plainFs, "/plain").Save(metadata, data.Length, stream => stream.Write(data));
        Assert.Equal(plainFs.Flushes + 2, fs.Flushes);
        // A lower bound only: the data cannot have gone out faster than the pace (5 MiB at 16 MiB/s).
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(290), $"{elapsed.TotalMilliseconds} ms");
        var unpaced = new SnapshotStore(DiskFileSystem.Instance, Path.Combine(_dir.Path, "snap"));
        Assert.Equal(File.ReadAllBytes(unpaced.Save(metadata, data.Length, s => s.Write(data))), fs.ReadAllBytes(path));
    }

    [Fact]
    public void A_stream_shorter_than_announced_is_refused_and_leaves_no_snapshot()
    {
        var store = new SnapshotStore(DiskFileSystem.Instance, Path.Combine(_dir.Path, "snap"));
        var metadata = new SnapshotMetadata(7, 1, Membership.OfVoters(1));
        var error = Assert.Throws<InvalidOperationException>(() => store.Save(metadata, 100, s => s.Write(new byte[99])));
        Assert.Contains("99 data bytes written, 100 announced", error.Message);
        Assert.Empty(store.List());
    }

    [Fact]
    public void The_log_is_written_while_the_file_streams_and_the_commit_compacts_it()
    {
        using (var wal = WriteAheadLog.Open(Options))
        {
            wal.Save(new HardState(1, 1, 100), Entries(1, 100, 1));
            var metadata = wal.PrepareSnapshot(80, Membership.OfVoters(1))!;
            Assert.Equal(new SnapshotMetadata(80, 1, Membership.OfVoters(1)), metadata);

            var data = Data(200_000, 80);
            using var streaming = new ManualResetEventSlim();
            using var resume = new ManualResetEventSlim();
            var write = Task.Run(() => wal.WriteSnapshotFile(metadata, data.Length, stream =>
            {
                stream.Write(data, 0, 1000);
                streaming.Set();
                resume.Wait();
                stream.Write(data, 1000, data.Length - 1000);
            }));
            Assert.True(streaming.Wait(TimeSpan.FromSeconds(30)));
            // Mid-stream: appends go on, the log is not compacted yet.
            wal.Save(new HardState(1, 1, 150), Entries(101, 150, 1));
            Assert.Equal(1UL, wal.FirstIndex);
            resume.Set();
            write.Wait(TimeSpan.FromSeconds(30));
            Assert.Equal(1UL, wal.FirstIndex); // the file alone compacts nothing

            wal.CommitSnapshot(metadata);
            Assert.Equal(81UL, wal.FirstIndex);
            Assert.Equal(150UL, wal.LastIndex);
            Assert.Equal(data, wal.Snapshot.Data.ToArray());
        }
        using var reopened = WriteAheadLog.Open(Options);
        Assert.Equal(80UL, reopened.SnapshotMetadata.Index);
        Assert.Equal(150UL, reopened.LastIndex);
        Assert.Equal(Entries(81, 150, 1), reopened.Entries(81, 151, long.MaxValue));
    }

    [Fact]
    public void A_snapshot_overtaken_by_a_received_one_commits_nothing()
    {
        using var wal = WriteAheadLog.Open(Options);
        wal.Save(new HardState(1, 1, 50), Entries(1, 50, 1));
        var ours = wal.PrepareSnapshot(40, Membership.OfVoters(1))!;
        wal.WriteSnapshotFile(ours, 3, s => s.Write(new byte[] { 1, 2, 3 }));
        var received = new Snapshot(new SnapshotMetadata(60, 2, Membership.OfVoters(1, 2)), new byte[] { 9 });
        wal.ApplySnapshot(received);

        wal.CommitSnapshot(ours);
        Assert.Equal(received.Metadata, wal.SnapshotMetadata);
        Assert.Equal(61UL, wal.FirstIndex);
        Assert.Null(wal.PrepareSnapshot(55, Membership.OfVoters(1)));
    }

    [Fact]
    public void A_temp_file_left_by_a_crash_mid_save_is_removed_at_open()
    {
        using (var wal = WriteAheadLog.Open(Options)) wal.Save(new HardState(1, 1, 1), Entries(1, 1, 1));
        var snapDir = Directory.GetDirectories(Path.Combine(_dir.Path, "member", "snap")).Single();
        var temp = Path.Combine(snapDir, "00000000000000000001-00000000000000000001.snap.tmp");
        File.WriteAllBytes(temp, new byte[] { 1, 2, 3 });
        using var reopened = WriteAheadLog.Open(Options);
        Assert.False(File.Exists(temp));
        Assert.Equal(0UL, reopened.SnapshotMetadata.Index);
    }
}
