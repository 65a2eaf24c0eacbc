using System.Globalization;
using Coordinator.Client;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Coordinator.Orleans.Reminders;

/// <summary>Orleans' reminder table in Coordinator or etcd. A reminder's etag is its key's mod_revision; removal
/// compares it, so a remove based on an old read never deletes a reminder that was re-registered since.
/// Range reads by grain hash are key-range reads (keys start with the hash), one Txn for a wrapped interval so
/// both halves come from one revision.</summary>
public sealed class CoordinatorReminderTable : IReminderTable, IAsyncDisposable
{
    private readonly CoordinatorClient _client;
    private readonly ReminderKeys _keys;

    public CoordinatorReminderTable(IOptions<CoordinatorReminderTableOptions> options, IOptions<ClusterOptions> cluster)
    {
        _keys = new ReminderKeys(KeyLayout.Area(options.Value.RootPrefix, cluster.Value.ServiceId, "reminders"));
        _client = new CoordinatorClient(options.Value.Client);
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public async Task<ReminderTableData> ReadRows(GrainId grainId)
    {
        var prefix = _keys.Grain(grainId);
        var response = await Call("read", prefix, () => _client.GetRangeAsync(KeyRange.Prefix(prefix))).ConfigureAwait(false);
        return new ReminderTableData(response.Kvs.Select(ReminderRow.Deserialize));
    }

    /// <summary>Reminders whose grain hash h is in (begin, end], or, when begin &gt;= end, the wrapped interval
    /// h &gt; begin or h &lt;= end (begin == end is the whole ring).</summary>
    public async Task<ReminderTableData> ReadRows(uint begin, uint end)
    {
        var ranges = new List<KeyRange>();
        if (begin < end) ranges.Add(_keys.Hashes(begin + 1, end));
        else
        {
            if (begin < uint.MaxValue) ranges.Add(_keys.Hashes(begin + 1, uint.MaxValue));
            ranges.Add(_keys.Hashes(0, end));
        }
        var response = await Call("read", _keys.Prefix, () => _client.Txn()
            .Then([.. ranges.Select(r => Op.Get(r))])
            .CommitAsync()).ConfigureAwait(false);
        return new ReminderTableData(response.Responses.SelectMany(r => r.ResponseRange.Kvs).Select(ReminderRow.Deserialize));
    }

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        var key = _keys.Reminder(grainId, reminderName);
        var kv = await Call("read", key, () => _client.GetAsync(key)).ConfigureAwait(false);
        return kv is null ? null : ReminderRow.Deserialize(kv);
    }

    /// <summary>Unconditional, as Orleans' protocol asks; returns the new etag.</summary>
    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry.ReminderName);
        var key = _keys.Reminder(entry.GrainId, entry.ReminderName);
        var response = await Call("write", key, () => _client.PutAsync(KeyLayout.Utf8(key), ReminderRow.Serialize(entry))).ConfigureAwait(false);
        return response.Header.Revision.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Deletes the reminder only if its mod_revision is still <paramref name="eTag"/>.</summary>
    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        if (!long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out var revision) || revision == 0)
            return false; // not an etag this table issued: nothing it names can exist
        var key = _keys.Reminder(grainId, reminderName);
        var response = await Call("remove", key, () => _client.Txn()
            .If(Compare.ModRevision(key) == revision)
            .Then(Op.Delete(key))
            .CommitAsync()).ConfigureAwait(false);
        return response.Succeeded && response.Responses[0].ResponseDeleteRange.Deleted > 0;
    }

    public async Task TestOnlyClearTable() =>
        await Call("clear", _keys.Prefix, () => _client.DeleteRangeAsync(KeyRange.Prefix(_keys.Prefix))).ConfigureAwait(false);

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private static async Task<T> Call<T>(string operation, string key, Func<Task<T>> call)
    {
        try { return await call().ConfigureAwait(false); }
        catch (CoordinatorException e)
        {
            throw new CoordinatorProviderException($"reminder table: {operation} {key} failed: {e.Message}", e);
        }
    }
}
