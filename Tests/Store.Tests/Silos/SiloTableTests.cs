using Coordinator.Grains.Store;
using Coordinator.Grains.Store.Silos;
using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Google.Protobuf;
using Xunit;

namespace Coordinator.Store.Tests.Silos;

/// <summary>The member silos' membership table as the store applies it: the conditions Orleans' table contract
/// asks for, decided at apply time, outside the key space, carried through snapshots.</summary>
public sealed class SiloTableTests
{
    private readonly KvStore _store = new(new StoreOptions());
    private ulong _index;

    private SiloTableResponse Apply(SiloTableCommand command)
    {
        var result = _store.Apply(new RaftRequest { SiloTable = command }, ++_index);
        Assert.Null(result.Error);
        return (SiloTableResponse)result.Response!;
    }

    private static SiloRow Row(string address, int status = SiloTable.ActiveStatus, long alive = 100) =>
        new() { Address = address, Status = status, AliveTicks = alive, Entry = ByteString.CopyFromUtf8("{}") };

    private SiloTableResponse Insert(string address, long version, ulong versionEtag, int status = SiloTable.ActiveStatus, long alive = 100) =>
        Apply(new SiloTableCommand { Insert = new SiloRowInsert { Row = Row(address, status, alive), Version = version, VersionEtag = versionEtag } });

    [Fact]
    public void Insert_needs_the_current_version_etag_the_next_version_and_a_new_address()
    {
        Assert.True(Insert("a", 1, 0).Ok);
        var afterA = _store.Silos.Current;
        Assert.Equal(1, afterA.Version);
        Assert.False(Insert("b", 2, 0).Ok); // stale version etag
        Assert.False(Insert("b", 3, afterA.VersionEtag).Ok); // skips a version
        Assert.False(Insert("a", 2, afterA.VersionEtag).Ok); // the row exists
        Assert.Same(afterA, _store.Silos.Current);
        Assert.True(Insert("b", 2, afterA.VersionEtag).Ok);
        Assert.Equal(["a", "b"], _store.Silos.Current.Rows.Keys);
    }

    [Fact]
    public void Update_needs_the_row_etag_and_the_version_etag_and_moves_both()
    {
        Insert("a", 1, 0);
        var state = _store.Silos.Current;
        var etag = state.Rows["a"].Etag;
        var update = new SiloRowUpdate { Row = Row("a", 6), RowEtag = etag + 1, Version = 2, VersionEtag = state.VersionEtag };
        Assert.False(Apply(new SiloTableCommand { Update = update }).Ok);
        update.RowEtag = etag;
        update.VersionEtag = state.VersionEtag + 1;
        Assert.False(Apply(new SiloTableCommand { Update = update }).Ok);
        update.VersionEtag = state.VersionEtag;
        Assert.True(Apply(new SiloTableCommand { Update = update }).Ok);
        var after = _store.Silos.Current;
        Assert.Equal(6, after.Rows["a"].Status);
        Assert.True(after.Rows["a"].Etag > etag);
        Assert.True(after.VersionEtag > state.VersionEtag);
        Assert.Equal(2, after.Version);
    }

    [Fact]
    public void IAmAlive_moves_only_the_alive_time_and_a_missing_row_is_refused()
    {
        Insert("a", 1, 0);
        var before = _store.Silos.Current;
        Assert.True(Apply(new SiloTableCommand { Alive = new SiloAlive { Address = "a", AliveTicks = 999 } }).Ok);
        var after = _store.Silos.Current;
        Assert.Equal(999, after.Rows["a"].AliveTicks);
        Assert.Equal(before.Rows["a"].Etag, after.Rows["a"].Etag);
        Assert.Equal((before.Version, before.VersionEtag), (after.Version, after.VersionEtag));
        Assert.False(Apply(new SiloTableCommand { Alive = new SiloAlive { Address = "nobody", AliveTicks = 1 } }).Ok);
    }

    [Fact]
    public void Cleanup_removes_old_rows_that_are_not_active_and_clear_removes_all()
    {
        Insert("dead-old", 1, 0, status: 6, alive: 10);
        Insert("dead-new", 2, _store.Silos.Current.VersionEtag, status: 6, alive: 1000);
        Insert("active-old", 3, _store.Silos.Current.VersionEtag, alive: 10);
        Assert.Equal(1u, Apply(new SiloTableCommand { Cleanup = new SiloTableCleanup { BeforeTicks = 500 } }).Removed);
        Assert.Equal(["active-old", "dead-new"], _store.Silos.Current.Rows.Keys);
        Assert.Equal(2u, Apply(new SiloTableCommand { Clear = new SiloTableClear() }).Removed);
        Assert.Empty(_store.Silos.Current.Rows);
        Assert.Equal(3, _store.Silos.Current.Version);
    }

    [Fact]
    public void The_table_is_not_in_the_key_space()
    {
        Insert("a", 1, 0);
        var range = (RangeResponse)_store.Apply(new RaftRequest { Range = new RangeRequest { Key = ByteString.CopyFrom([0]), RangeEnd = ByteString.CopyFrom([0]) } }, 0).Response!;
        Assert.Empty(range.Kvs);
        Assert.Equal(1, _store.CurrentRevision);
    }

    [Fact]
    public void A_snapshot_section_round_trips_and_an_older_snapshot_restores_an_empty_table()
    {
        Insert("a", 1, 0);
        Insert("b", 2, _store.Silos.Current.VersionEtag);
        var restored = new SiloTable();
        restored.Restore(new MemoryStream(_store.Silos.Encode()));
        Assert.Equal(_store.Silos.Current.Rows.Values, restored.Current.Rows.Values);
        Assert.Equal((2L, _store.Silos.Current.VersionEtag), (restored.Current.Version, restored.Current.VersionEtag));
        restored.Restore(new MemoryStream());
        Assert.Empty(restored.Current.Rows);
        var damaged = _store.Silos.Encode();
        damaged[^1] ^= 1;
        Assert.Throws<InvalidDataException>(() => restored.Restore(new MemoryStream(damaged)));
    }
}
