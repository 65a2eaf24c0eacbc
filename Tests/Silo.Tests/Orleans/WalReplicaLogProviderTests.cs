using System.Text;
using Coordinator.Grains.Raft;
using Coordinator.Grains.Replicas;
using Coordinator.Silo.Orleans;
using Coordinator.Silo.Storage;
using Xunit;

namespace Coordinator.Tests.Silo.Orleans;

/// <summary>Replica grains' logs in the member's shared WAL: exclusive per group, durable across a reopen of the
/// WAL, and groups persisting together share the WAL's fsyncs.</summary>
public sealed class WalReplicaLogProviderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("coordinator-wal-replicas-").FullName;

    private WalOptions Options => new() { DataDir = _dir };

    private static Entry[] Entries(ulong from, ulong to, ulong term) =>
        Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => new Entry((ulong)i, term, EntryType.Normal, Encoding.UTF8.GetBytes($"e{i}"))).ToArray();

    [Fact]
    public async Task A_group_log_is_handed_out_once_until_disposed_and_keeps_what_was_persisted()
    {
        using (var wal = SharedWriteAheadLog.Open(Options))
        {
            var provider = new WalReplicaLogProvider(wal);
            var log = provider.Open(7);
            await log.PersistAsync(null, new HardState(2, 1, 3), Entries(1, 5, 2), CancellationToken.None);
            var e = Assert.Throws<ReplicaLogInUseException>(() => provider.Open(7));
            Assert.Equal(7UL, e.GroupId);
            log.Dispose();
            Assert.ThrowsAny<Exception>(() => log.Save(null, Entries(6, 6, 2))); // a closed holder cannot write
            using var again = provider.Open(7);
            Assert.Equal(5UL, again.LastIndex);
        }
        using (var reopened = SharedWriteAheadLog.Open(Options))
        {
            using var log = new WalReplicaLogProvider(reopened).Open(7);
            Assert.Equal(new HardState(2, 1, 3), log.HardState);
            Assert.Equal(Entries(1, 5, 2), log.Entries(1, 6, long.MaxValue));
        }
    }

    [Fact]
    public async Task A_received_snapshot_replaces_the_log_before_the_entries_above_it()
    {
        using var wal = SharedWriteAheadLog.Open(Options);
        using var log = new WalReplicaLogProvider(wal).Open(3);
        await log.PersistAsync(null, null, Entries(1, 4, 1), CancellationToken.None);
        var snapshot = new Snapshot(new SnapshotMetadata(10, 2, Membership.OfVoters(1, 2, 3)), new byte[] { 1, 2, 3 });
        await log.PersistAsync(snapshot, new HardState(2, 2, 10), Entries(11, 12, 2), CancellationToken.None);
        Assert.Equal(11UL, log.FirstIndex);
        Assert.Equal(12UL, log.LastIndex);
        Assert.Equal(new byte[] { 1, 2, 3 }, log.Snapshot.Data.ToArray());
    }

    [Fact]
    public async Task Groups_persisting_together_share_fsyncs()
    {
        using var wal = SharedWriteAheadLog.Open(Options);
        var provider = new WalReplicaLogProvider(wal);
        var logs = Enumerable.Range(1, 16).Select(g => provider.Open((ulong)g)).ToArray();
        var before = wal.FsyncCount;
        for (var round = 1UL; round <= 20; round++)
            await Task.WhenAll(logs.Select(l => l.PersistAsync(null, new HardState(1, 0, round - 1), Entries(round, round, 1), CancellationToken.None)));
        var fsyncs = wal.FsyncCount - before;
        Assert.True(fsyncs < 16 * 20, $"{fsyncs} fsyncs for 16 groups x 20 rounds: groups did not share any");
        foreach (var l in logs) { Assert.Equal(20UL, l.LastIndex); l.Dispose(); }
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
