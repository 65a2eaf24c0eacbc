using System.Net;
using Coordinator.Client;
using Coordinator.Client.Tests.Fixtures;
using Coordinator.Orleans.Clustering;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Coordinator.Orleans.Tests.Contracts;

/// <summary>What Orleans' membership protocol needs from a table (the checks of Orleans' own
/// MembershipTableTestsBase, written anew), run against every server the concrete classes name.</summary>
public abstract class MembershipTableContract : IAsyncLifetime
{
    private static int _generation;
    private readonly IServerFixture _server;
    private readonly string _root = Fixtures.Stores.NewRoot();
    private readonly string _clusterId = "cluster-" + Guid.NewGuid().ToString("N")[..6];
    private readonly CoordinatorMembershipTable _table;

    protected MembershipTableContract(IServerFixture server)
    {
        _server = server;
        _table = Fixtures.Stores.MembershipTable(server, _root, _clusterId);
    }

    public Task InitializeAsync() => _table.InitializeMembershipTable(true);

    public async Task DisposeAsync()
    {
        await _table.DeleteMembershipTableEntries(_clusterId);
        await _table.DisposeAsync();
    }

    [Fact]
    public async Task Empty_table_has_version_zero_with_an_etag()
    {
        var data = await _table.ReadAll();
        Assert.Empty(data.Members);
        Assert.Equal(0, data.Version.Version);
        Assert.NotNull(data.Version.VersionEtag);
    }

    [Fact]
    public async Task Initializing_twice_keeps_the_table()
    {
        var entry = NewEntry();
        Assert.True(await _table.InsertRow(entry, (await _table.ReadAll()).Version.Next()));
        await _table.InitializeMembershipTable(true);
        var data = await _table.ReadAll();
        Assert.Equal(1, data.Version.Version);
        Assert.Single(data.Members);
    }

    [Fact]
    public async Task Insert_conflicts_on_stale_version_and_on_existing_row()
    {
        var data = await _table.ReadAll();
        var next = data.Version.Next();
        var entry = NewEntry();
        Assert.True(await _table.InsertRow(entry, next));
        Assert.False(await _table.InsertRow(entry, next));            // same row, stale version
        Assert.False(await _table.InsertRow(NewEntry(), next));       // new row, stale version

        data = await _table.ReadAll();
        Assert.Equal(1, data.Version.Version);
        Assert.NotEqual(next.VersionEtag, data.Version.VersionEtag);  // the store issues etags
        Assert.False(await _table.InsertRow(entry, data.Version.Next())); // row exists, fresh version

        var row = await _table.ReadRow(entry.SiloAddress);
        Assert.Equal(1, row.Version.Version);
        var (stored, etag) = Assert.Single(row.Members);
        Assert.NotNull(etag);
        Assert.Equal(entry.ToFullString(), stored.ToFullString());
        Assert.Single((await _table.ReadAll()).Members);
    }

    [Fact]
    public async Task Row_and_version_are_written_by_one_txn()
    {
        var entry = NewEntry();
        Assert.True(await _table.InsertRow(entry, (await _table.ReadAll()).Version.Next()));
        var data = await _table.ReadAll();
        // One Txn wrote both keys, so they share a mod_revision.
        Assert.Equal(data.Version.VersionEtag, data.TryGet(entry.SiloAddress)!.Item2);
        using var client = new CoordinatorClient(Fixtures.Stores.ClientOptions(_server));
        var all = await client.GetPrefixAsync($"{_root}/{_clusterId}/membership/");
        Assert.Equal(2, all.Kvs.Count);
        Assert.All(all.Kvs, kv => Assert.Equal(all.Kvs[0].ModRevision, kv.ModRevision));
    }

    [Fact]
    public async Task Update_conflicts_on_stale_version_or_stale_row_etag()
    {
        var data = await _table.ReadAll();
        Assert.Equal(0, data.Version.Version);
        for (var i = 1; i < 6; i++)
        {
            var entry = NewEntry();
            entry.SuspectTimes = [Tuple.Create(NewAddress(), Now().AddSeconds(1)), Tuple.Create(NewAddress(), Now().AddSeconds(2))];
            var version = data.Version.Next();
            Assert.True(await _table.InsertRow(entry, version));
            data = await _table.ReadAll();
            var etag = data.TryGet(entry.SiloAddress)!.Item2;

            Assert.False(await _table.UpdateRow(entry, etag, version));   // right row etag, stale version
            version = data.Version.Next();
            entry.Status = SiloStatus.Active;
            Assert.True(await _table.UpdateRow(entry, etag, version));    // both fresh
            Assert.False(await _table.UpdateRow(entry, etag, version));   // both stale now

            data = await _table.ReadAll();
            var (stored, etagAfter) = data.TryGet(entry.SiloAddress)!;
            Assert.Equal(entry.ToFullString(), stored.ToFullString());
            Assert.NotEqual(etag, etagAfter);
            Assert.False(await _table.UpdateRow(entry, etagAfter, version)); // fresh row etag, stale version
            data = await _table.ReadAll();
            Assert.Equal(etagAfter, data.TryGet(entry.SiloAddress)!.Item2);
            Assert.Equal(2 * i, data.Version.Version);
            Assert.Equal(i, data.Members.Count);
        }
    }

    [Fact]
    public async Task Version_grows_by_one_only()
    {
        var data = await _table.ReadAll();
        // The right etag but a version that skips ahead, or goes back, is refused.
        Assert.False(await _table.InsertRow(NewEntry(), new TableVersion(5, data.Version.VersionEtag)));
        Assert.True(await _table.InsertRow(NewEntry(), data.Version.Next()));
        data = await _table.ReadAll();
        Assert.False(await _table.InsertRow(NewEntry(), new TableVersion(data.Version.Version + 2, data.Version.VersionEtag)));
        Assert.False(await _table.InsertRow(NewEntry(), new TableVersion(data.Version.Version, data.Version.VersionEtag)));
        Assert.True(await _table.InsertRow(NewEntry(), data.Version.Next()));
        Assert.Equal(2, (await _table.ReadAll()).Version.Version);
    }

    [Fact]
    public async Task Parallel_inserts_of_one_row_let_exactly_one_win_and_parallel_updates_serialize()
    {
        var entry = NewEntry();
        var version = (await _table.ReadAll()).Version.Next();
        var inserts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _table.InsertRow(entry, version)));
        Assert.Single(inserts, ok => ok);

        await Task.WhenAll(Enumerable.Range(0, 9).Select(async _ =>
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var data = await _table.ReadAll();
                var row = data.TryGet(entry.SiloAddress)!;
                if (await _table.UpdateRow(row.Item1, row.Item2, data.Version.Next())) return;
            }
            Assert.Fail("an update never won in 200 attempts");
        })).WaitAsync(TimeSpan.FromSeconds(60));
        var final = await _table.ReadAll();
        Assert.Equal(10, final.Version.Version);
        Assert.Single(final.Members);
    }

    [Fact]
    public async Task IAmAlive_updates_only_the_time_and_leaves_the_version_alone()
    {
        var entry = NewEntry();
        entry.Status = SiloStatus.Active;
        Assert.True(await _table.InsertRow(entry, (await _table.ReadAll()).Version.Next()));
        var before = await _table.ReadAll();

        var alive = DateTime.UtcNow.AddSeconds(5);
        await _table.UpdateIAmAlive(new MembershipEntry { SiloAddress = entry.SiloAddress, IAmAliveTime = alive });

        var after = await _table.ReadAll();
        Assert.Equal(before.Version, after.Version); // number and etag
        var stored = after.TryGet(entry.SiloAddress)!.Item1;
        Assert.Equal(alive, stored.IAmAliveTime);
        Assert.Equal(SiloStatus.Active, stored.Status);
        Assert.Equal(entry.SiloName, stored.SiloName);
        Assert.Equal(entry.ProxyPort, stored.ProxyPort);
        // The row's own etag moved on: an UpdateRow based on the read before the heartbeat loses.
        Assert.False(await _table.UpdateRow(entry, before.TryGet(entry.SiloAddress)!.Item2, after.Version.Next()));
    }

    [Fact]
    public async Task IAmAlive_for_a_missing_row_is_a_clear_error()
    {
        var missing = NewAddress();
        var e = await Assert.ThrowsAsync<CoordinatorProviderException>(() =>
            _table.UpdateIAmAlive(new MembershipEntry { SiloAddress = missing, IAmAliveTime = DateTime.UtcNow }));
        Assert.Contains(missing.ToString(), e.Message);
        Assert.Empty((await _table.ReadAll()).Members);
    }

    [Fact]
    public async Task Cleanup_removes_old_rows_that_are_not_active()
    {
        var version = (await _table.ReadAll()).Version;
        async Task Insert(MembershipEntry e)
        {
            Assert.True(await _table.InsertRow(e, version.Next()));
            version = (await _table.ReadAll()).Version;
        }
        var old = Now().AddDays(-10);
        foreach (var status in Enum.GetValues<SiloStatus>())
        {
            var e = NewEntry();
            e.Status = status;
            e.IAmAliveTime = old;
            e.StartTime = old;
            await Insert(e);
        }
        var fresh = NewEntry();
        await Insert(fresh);
        var oldButAliveRecently = NewEntry();
        oldButAliveRecently.StartTime = old;
        oldButAliveRecently.Status = SiloStatus.Dead;
        await Insert(oldButAliveRecently);

        await _table.CleanupDefunctSiloEntries(old.AddDays(3));

        var left = (await _table.ReadAll()).Members.Select(m => m.Item1).ToList();
        Assert.Equal(3, left.Count); // the old Active one, the fresh one, the recently alive dead one
        Assert.Single(left, e => e.Status == SiloStatus.Active);
        Assert.Contains(left, e => e.SiloAddress.Equals(fresh.SiloAddress));
        Assert.Contains(left, e => e.SiloAddress.Equals(oldButAliveRecently.SiloAddress));
        Assert.Equal(version, (await _table.ReadAll()).Version);
    }

    [Fact]
    public async Task Gateways_are_the_active_silos_with_a_proxy_port()
    {
        var entries = Enumerable.Range(0, 6).Select(_ => NewEntry()).ToArray();
        entries[1].Status = SiloStatus.Active;
        entries[1].ProxyPort = 0;
        entries[2].Status = SiloStatus.Active;
        entries[4].Status = SiloStatus.Active;
        var version = (await _table.ReadAll()).Version;
        foreach (var e in entries)
        {
            Assert.True(await _table.InsertRow(e, version.Next()));
            version = (await _table.ReadAll()).Version;
        }
        var provider = new CoordinatorGatewayListProvider(_table, Options.Create(new GatewayOptions()));
        await provider.InitializeGatewayListProvider();
        var gateways = (await provider.GetGateways()).Select(u => u.ToString()).ToList();
        Assert.Equal(2, gateways.Count);
        Assert.Contains(entries[2].SiloAddress.ToGatewayUri().ToString(), gateways);
        Assert.Contains(entries[4].SiloAddress.ToGatewayUri().ToString(), gateways);
    }

    [Fact]
    public async Task Deleting_one_cluster_leaves_another_alone()
    {
        var otherId = _clusterId + "-other";
        await using var other = Fixtures.Stores.MembershipTable(_server, _root, otherId);
        await other.InitializeMembershipTable(true);
        Assert.True(await other.InsertRow(NewEntry(), (await other.ReadAll()).Version.Next()));
        Assert.True(await _table.InsertRow(NewEntry(), (await _table.ReadAll()).Version.Next()));

        await _table.DeleteMembershipTableEntries(_clusterId);

        Assert.Empty((await _table.ReadAll()).Members);
        Assert.Single((await other.ReadAll()).Members);
        await other.DeleteMembershipTableEntries(otherId);
    }

    [Fact]
    public async Task Etags_it_did_not_issue_are_refused_and_a_foreign_row_is_named()
    {
        var entry = NewEntry();
        Assert.True(await _table.InsertRow(entry, (await _table.ReadAll()).Version.Next()));
        var data = await _table.ReadAll();
        await Assert.ThrowsAsync<ArgumentException>(() => _table.UpdateRow(entry, "not-an-etag", data.Version.Next()));
        await Assert.ThrowsAsync<ArgumentException>(() => _table.InsertRow(NewEntry(), new TableVersion(2, "x")));
        Assert.Equal(data.Version, (await _table.ReadAll()).Version);

        using var client = new CoordinatorClient(Fixtures.Stores.ClientOptions(_server));
        var foreign = $"{_root}/{_clusterId}/membership/silos/garbage";
        await client.PutAsync(foreign, "{not json");
        var e = await Assert.ThrowsAsync<CoordinatorProviderException>(() => _table.ReadAll());
        Assert.Contains(foreign, e.Message);
    }

    private static DateTime Now()
    {
        var now = DateTime.UtcNow;
        return new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, DateTimeKind.Utc);
    }

    private static SiloAddress NewAddress() =>
        SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 12345), Interlocked.Increment(ref _generation) + Environment.TickCount);

    private static MembershipEntry NewEntry()
    {
        var address = NewAddress();
        return new MembershipEntry
        {
            SiloAddress = address, HostName = Dns.GetHostName(), SiloName = "silo-" + address.Generation,
            Status = SiloStatus.Joining, ProxyPort = address.Endpoint.Port, StartTime = Now(), IAmAliveTime = Now(),
            RoleName = "role", UpdateZone = 1, FaultZone = 2,
        };
    }
}

[Collection(Fixtures.CoordinatorCollection.Name)]
public sealed class MembershipTableOnCoordinator(Fixtures.CoordinatorClusterFixture server) : MembershipTableContract(server);

[Collection(Fixtures.EtcdCollection.Name)]
public sealed class MembershipTableOnEtcd(EtcdServerFixture server) : MembershipTableContract(server);
