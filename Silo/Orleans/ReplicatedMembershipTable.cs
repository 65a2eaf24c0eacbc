using System.Globalization;
using Coordinator.Grains.Store.Silos;
using Coordinator.Orleans.Clustering;
using Coordinator.Protocol.Internal;
using Coordinator.Silo.Hosting;
using Google.Protobuf;
using Orleans;
using Orleans.Runtime;

namespace Coordinator.Silo.Orleans;

/// <summary>
/// Orleans' membership table for the member silos, kept in the root Raft group beside the stores (never in the
/// etcd key space). Conditions are checked where the command is applied, in log order, so an insert or update
/// with a stale etag loses on every member alike; reads are linearizable (read barrier). Etags are Raft indexes
/// in decimal.
/// </summary>
internal sealed class ReplicatedMembershipTable(ReplicaHost host) : IMembershipTable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The table exists with the group: nothing to create.</summary>
    public Task InitializeMembershipTable(bool tryInitTableVersion) => Task.CompletedTask;

    public async Task<MembershipTableData> ReadAll() => Data(await ReadAsync(), _ => true);

    public async Task<MembershipTableData> ReadRow(SiloAddress key)
    {
        var address = key.ToParsableString();
        return Data(await ReadAsync(), row => row.Address == address);
    }

    public async Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) =>
        (await ProposeAsync(new SiloTableCommand
        {
            Insert = new SiloRowInsert { Row = Row(entry), Version = tableVersion.Version, VersionEtag = Etag(tableVersion.VersionEtag) },
        })).Ok;

    public async Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) =>
        (await ProposeAsync(new SiloTableCommand
        {
            Update = new SiloRowUpdate
            {
                Row = Row(entry), RowEtag = Etag(etag), Version = tableVersion.Version, VersionEtag = Etag(tableVersion.VersionEtag),
            },
        })).Ok;

    public async Task UpdateIAmAlive(MembershipEntry entry)
    {
        var address = entry.SiloAddress.ToParsableString();
        var response = await ProposeAsync(new SiloTableCommand
        {
            Alive = new SiloAlive { Address = address, AliveTicks = entry.IAmAliveTime.ToUniversalTime().Ticks },
        });
        if (!response.Ok) throw new KeyNotFoundException($"silo membership table has no row for {address}");
    }

    public Task DeleteMembershipTableEntries(string clusterId) => ProposeAsync(new SiloTableCommand { Clear = new SiloTableClear() });

    public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) =>
        ProposeAsync(new SiloTableCommand { Cleanup = new SiloTableCleanup { BeforeTicks = beforeDate.UtcTicks } });

    private async Task<SiloTable.State> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        return await host.ReadSiloTableAsync(timeout.Token);
    }

    private async Task<SiloTableResponse> ProposeAsync(SiloTableCommand command)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        return await host.ProposeSiloTableAsync(command, timeout.Token);
    }

    private static SiloRow Row(MembershipEntry entry) => new()
    {
        Address = entry.SiloAddress.ToParsableString(),
        Status = (int)entry.Status,
        AliveTicks = entry.IAmAliveTime.ToUniversalTime().Ticks,
        Entry = ByteString.CopyFrom(MembershipRow.Serialize(entry)),
    };

    private static MembershipTableData Data(SiloTable.State state, Func<SiloRow, bool> include) => new(
        state.Rows.Values.Where(include).Select(row =>
        {
            var entry = MembershipRow.Deserialize(row.Entry.Span, row.Address);
            entry.IAmAliveTime = new DateTime(row.AliveTicks, DateTimeKind.Utc);
            return Tuple.Create(entry, Etag(row.Etag));
        }).ToList(),
        new TableVersion((int)state.Version, Etag(state.VersionEtag)));

    private static string Etag(ulong etag) => etag.ToString(CultureInfo.InvariantCulture);

    /// <summary>An etag this table did not issue matches nothing (index 0 is the empty table's version only).</summary>
    private static ulong Etag(string? etag) =>
        ulong.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : ulong.MaxValue;
}
