using System.Globalization;
using Coordinator.Client;
using Coordinator.Orleans.Diagnostics;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Coordinator.Orleans.Clustering;

/// <summary>Orleans' membership table in Coordinator or etcd. Layout: <c>{root}/{clusterId}/membership/version</c>
/// (the table version as text) and <c>.../membership/silos/{silo}</c> (one JSON row per silo).
/// Etags are mod_revisions: a row's etag is its key's mod_revision, the table version's etag is the version key's.
/// Every row change that Orleans' protocol versions is one Txn that compares both mod_revisions and writes both
/// keys, so two silos that read the same table version can never both write: the store's compare-and-swap decides,
/// not any assumption about who else is running.</summary>
public sealed partial class CoordinatorMembershipTable : IMembershipTable, IAsyncDisposable
{
    private readonly CoordinatorClient _client;
    private readonly CoordinatorClusteringOptions _options;
    private readonly MembershipKeys _keys;
    private readonly string _clusterId;
    private readonly ILogger _logger;

    public CoordinatorMembershipTable(IOptions<CoordinatorClusteringOptions> options, IOptions<ClusterOptions> cluster, ILogger<CoordinatorMembershipTable> logger)
    {
        _options = options.Value;
        _clusterId = cluster.Value.ClusterId;
        _keys = new MembershipKeys(_options.RootPrefix, _clusterId);
        _logger = logger;
        _client = new CoordinatorClient(_options.Client);
    }

    /// <summary>Creates the version key (version 0) unless it exists; a client (tryInitTableVersion false) only reads.</summary>
    public async Task InitializeMembershipTable(bool tryInitTableVersion)
    {
        if (tryInitTableVersion)
        {
            await Call("initialize", _keys.Version, () => _client.Txn()
                .If(Compare.CreateRevision(_keys.Version) == 0)
                .Then(Op.Put(_keys.Version, "0"))
                .CommitAsync()).ConfigureAwait(false);
        }
        Log.MembershipTableInitialized(_logger, _clusterId, _keys.Prefix, string.Join(",", _options.Client.Endpoints));
    }

    public async Task DeleteMembershipTableEntries(string clusterId)
    {
        var keys = new MembershipKeys(_options.RootPrefix, clusterId);
        await Call("delete", keys.Prefix, () => _client.DeleteRangeAsync(KeyRange.Prefix(keys.Prefix))).ConfigureAwait(false);
    }

    /// <summary>Rows and version from one Range, hence from one revision.</summary>
    public async Task<MembershipTableData> ReadAll()
    {
        var response = await Call("read", _keys.Prefix, () => _client.GetRangeAsync(KeyRange.Prefix(_keys.Prefix))).ConfigureAwait(false);
        var version = new TableVersion(0, "0");
        var rows = new List<Tuple<MembershipEntry, string>>();
        foreach (var kv in response.Kvs)
        {
            var key = kv.Key.ToStringUtf8();
            if (key == _keys.Version) version = ParseVersion(kv);
            else if (key.StartsWith(_keys.Silos, StringComparison.Ordinal))
                rows.Add(Tuple.Create(MembershipRow.Deserialize(kv.Value.Span, key), Etag(kv.ModRevision)));
        }
        return new MembershipTableData(rows, version);
    }

    /// <summary>One row and the version, read in one read-only Txn (one revision).</summary>
    public async Task<MembershipTableData> ReadRow(SiloAddress key)
    {
        var rowKey = _keys.Silo(key);
        var response = await Call("read", rowKey, () => _client.Txn()
            .Then(Op.Get(_keys.Version), Op.Get(rowKey))
            .CommitAsync()).ConfigureAwait(false);
        var versionKv = response.Responses[0].ResponseRange.Kvs.FirstOrDefault();
        var version = versionKv is null ? new TableVersion(0, "0") : ParseVersion(versionKv);
        var rowKv = response.Responses[1].ResponseRange.Kvs.FirstOrDefault();
        return rowKv is null
            ? new MembershipTableData(version)
            : new MembershipTableData(Tuple.Create(MembershipRow.Deserialize(rowKv.Value.Span, rowKey), Etag(rowKv.ModRevision)), version);
    }

    /// <summary>Writes a new row and the new version in one Txn: the version key must still have the etag (and the
    /// value one below) the caller read, and the row must not exist.</summary>
    public async Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion)
    {
        var rowKey = _keys.Silo(entry.SiloAddress);
        var guards = VersionGuards(tableVersion);
        guards?.Add(Compare.CreateRevision(rowKey) == 0);
        var ok = guards is not null && await CommitRowAndVersion("insert", rowKey, guards, entry, tableVersion).ConfigureAwait(false);
        if (!ok) Log.MembershipConflict(_logger, "insert", entry.SiloAddress.ToString(), tableVersion.ToString());
        return ok;
    }

    /// <summary>Replaces a row and the version in one Txn: both mod_revisions must still be what the caller read.</summary>
    public async Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion)
    {
        var rowKey = _keys.Silo(entry.SiloAddress);
        var guards = VersionGuards(tableVersion);
        guards?.Add(Compare.ModRevision(rowKey) == ParseEtag(etag, "row etag"));
        var ok = guards is not null && await CommitRowAndVersion("update", rowKey, guards, entry, tableVersion).ConfigureAwait(false);
        if (!ok) Log.MembershipConflict(_logger, "update", entry.SiloAddress.ToString(), tableVersion.ToString());
        return ok;
    }

    /// <summary>Sets the row's IAmAliveTime only. The table version is left alone (Orleans' protocol does not
    /// version liveness), but the row itself is still a compare-and-swap on its mod_revision, so a concurrent
    /// suspicion vote or status change is never overwritten by this heartbeat: the heartbeat re-reads and retries.</summary>
    public async Task UpdateIAmAlive(MembershipEntry entry)
    {
        var rowKey = _keys.Silo(entry.SiloAddress);
        for (var attempt = 0; ; attempt++)
        {
            var kv = await Call("read", rowKey, () => _client.GetAsync(rowKey)).ConfigureAwait(false)
                ?? throw new CoordinatorProviderException($"UpdateIAmAlive: no membership row for {entry.SiloAddress} at {rowKey}");
            var stored = MembershipRow.Deserialize(kv.Value.Span, rowKey);
            stored.IAmAliveTime = entry.IAmAliveTime;
            var response = await Call("update IAmAlive", rowKey, () => _client.Txn()
                .If(Compare.ModRevision(rowKey) == kv.ModRevision)
                .Then(Op.Put(KeyLayout.Utf8(rowKey), MembershipRow.Serialize(stored)))
                .CommitAsync()).ConfigureAwait(false);
            if (response.Succeeded) return;
            Log.MembershipConflict(_logger, "IAmAlive", entry.SiloAddress.ToString(), "-");
            if (attempt >= _options.IAmAliveRetries)
                throw new CoordinatorProviderException($"UpdateIAmAlive for {entry.SiloAddress}: the row kept changing under {attempt + 1} attempts");
        }
    }

    /// <summary>Deletes rows that are not Active and whose last sign of life is before <paramref name="beforeDate"/>.
    /// Each delete compares the row's mod_revision with the one read, so a row that changed since is kept.</summary>
    public async Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate)
    {
        var response = await Call("read", _keys.Silos, () => _client.GetRangeAsync(KeyRange.Prefix(_keys.Silos))).ConfigureAwait(false);
        foreach (var kv in response.Kvs)
        {
            var key = kv.Key.ToStringUtf8();
            var entry = MembershipRow.Deserialize(kv.Value.Span, key);
            var lastAlive = entry.IAmAliveTime > entry.StartTime ? entry.IAmAliveTime : entry.StartTime;
            if (entry.Status == SiloStatus.Active || lastAlive >= beforeDate.UtcDateTime) continue;
            var deleted = await Call("delete", key, () => _client.Txn()
                .If(Compare.ModRevision(key) == kv.ModRevision)
                .Then(Op.Delete(key))
                .CommitAsync()).ConfigureAwait(false);
            if (deleted.Succeeded) Log.DefunctRowRemoved(_logger, entry.SiloAddress.ToString(), entry.Status.ToString(), lastAlive);
        }
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    /// <summary>The version key must still carry the etag the caller read and hold the version just below the new
    /// one: versions only ever grow by one, and a caller holding an older read loses.</summary>
    /// Null when the write cannot succeed whatever the store holds.
    private List<Compare>? VersionGuards(TableVersion tableVersion)
    {
        var versionEtag = ParseEtag(tableVersion.VersionEtag, "table version etag");
        var guards = new List<Compare> { Compare.ModRevision(_keys.Version) == versionEtag };
        if (versionEtag != 0)
            guards.Add(Compare.Value(_keys.Version) == (tableVersion.Version - 1).ToString(CultureInfo.InvariantCulture));
        else if (tableVersion.Version != 1)
            return null; // no version key yet (version 0): only version 1 may be written
        return guards;
    }

    private async Task<bool> CommitRowAndVersion(string operation, string rowKey, List<Compare> guards, MembershipEntry entry, TableVersion tableVersion)
    {
        var response = await Call(operation, rowKey, () => _client.Txn()
            .If([.. guards])
            .Then(Op.Put(_keys.Version, tableVersion.Version.ToString(CultureInfo.InvariantCulture)),
                  Op.Put(KeyLayout.Utf8(rowKey), MembershipRow.Serialize(entry)))
            .CommitAsync()).ConfigureAwait(false);
        return response.Succeeded;
    }

    private TableVersion ParseVersion(Mvccpb.KeyValue kv)
    {
        if (!int.TryParse(kv.Value.ToStringUtf8(), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            throw new CoordinatorProviderException($"membership version key {_keys.Version} holds \"{kv.Value.ToStringUtf8()}\", not a version number");
        return new TableVersion(version, Etag(kv.ModRevision));
    }

    private static string Etag(long modRevision) => modRevision.ToString(CultureInfo.InvariantCulture);

    private static long ParseEtag(string? etag, string what) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            ? revision
            : throw new ArgumentException($"{what} \"{etag}\" is not one this table issued (a mod_revision)", nameof(etag));

    private async Task<T> Call<T>(string operation, string key, Func<Task<T>> call)
    {
        try { return await call().ConfigureAwait(false); }
        catch (CoordinatorException e)
        {
            throw new CoordinatorProviderException($"membership table: {operation} {key} failed: {e.Message}", e);
        }
    }
}
