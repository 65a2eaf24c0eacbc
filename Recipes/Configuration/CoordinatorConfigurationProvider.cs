using Coordinator.Client;
using Microsoft.Extensions.Configuration;

namespace Coordinator.Recipes;

/// <summary>Loads every key under a prefix, then follows the prefix with one watch: all changes of one revision
/// (e.g. a multi-key Txn) are applied together as ONE reload, so <c>IOptionsMonitor.OnChange</c> never sees
/// half a transaction. The client's watch resumes across reconnects from the last delivered revision; after a
/// compaction (or a final watch error) the whole prefix is read again.</summary>
public sealed class CoordinatorConfigurationProvider : ConfigurationProvider, IDisposable
{
    private readonly CoordinatorClient _client;
    private readonly bool _ownsClient;
    private readonly string _prefix;
    private readonly CoordinatorConfigurationOptions _options;
    private readonly CancellationTokenSource _disposed = new();
    private Task? _watching;
    private long _revision; // Data reflects every change up to and including this revision

    internal CoordinatorConfigurationProvider(CoordinatorClient client, bool ownsClient, string prefix, CoordinatorConfigurationOptions options)
    {
        _client = client;
        _ownsClient = ownsClient;
        _prefix = prefix;
        _options = options;
    }

    /// <summary>The store revision the current data reflects.</summary>
    public long Revision => Interlocked.Read(ref _revision);

    public override void Load()
    {
        try
        {
            ReadAllAsync(_disposed.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (_options.Optional && e is CoordinatorException or OperationCanceledException)
        {
            Data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        }
        if (_options.ReloadOnChange) _watching ??= Task.Run(() => WatchAsync(_disposed.Token));
    }

    private async Task ReadAllAsync(CancellationToken ct)
    {
        var response = await _client.GetPrefixAsync(_prefix, ct).ConfigureAwait(false);
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var kv in response.Kvs)
            if (ToConfigurationKey(kv.Key.ToStringUtf8()) is { } key) data[key] = kv.Value.ToStringUtf8();
        Data = data;
        Interlocked.Exchange(ref _revision, response.Header.Revision);
    }

    private async Task WatchAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (Revision == 0) { await ReadAllAsync(ct).ConfigureAwait(false); OnReload(); } // initial load failed (optional source)
                await FollowAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // Compacted or failed for good: start over from a fresh full read.
                try
                {
                    await Task.Delay(_options.RetryDelay, ct).ConfigureAwait(false);
                    await ReadAllAsync(ct).ConfigureAwait(false);
                    OnReload();
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
                catch (Exception) { }
            }
        }
    }

    /// <summary>Applies watch events revision by revision. A revision's events arrive in one watch response and the
    /// enumerator yields them without awaiting; so the batch is complete when the revision changes or when the next
    /// event is not already there (MoveNextAsync did not complete synchronously).</summary>
    private async Task FollowAsync(CancellationToken ct)
    {
        var batch = new List<WatchEvent>();
        await using var events = _client.WatchAsync(KeyRange.Prefix(_prefix), Revision + 1, prevKv: false, ct).GetAsyncEnumerator(ct);
        while (true)
        {
            var next = events.MoveNextAsync();
            if (!next.IsCompleted) Apply(batch);
            if (!await next.ConfigureAwait(false)) break;
            if (batch.Count > 0 && batch[0].Revision != events.Current.Revision) Apply(batch);
            batch.Add(events.Current);
        }
        Apply(batch);
    }

    /// <summary>One revision's changes as one copy-on-write swap of Data and one reload.</summary>
    private void Apply(List<WatchEvent> batch)
    {
        if (batch.Count == 0) return;
        var data = new Dictionary<string, string?>(Data, StringComparer.OrdinalIgnoreCase);
        foreach (var e in batch)
        {
            if (ToConfigurationKey(e.Key) is not { } key) continue;
            if (e.Type == WatchEventType.Put) data[key] = e.Value;
            else data.Remove(key);
        }
        Data = data;
        Interlocked.Exchange(ref _revision, batch[^1].Revision);
        batch.Clear();
        OnReload();
    }

    /// <summary><c>prefix + "Db/Timeout"</c> → <c>Db:Timeout</c>; null for the prefix key itself.</summary>
    private string? ToConfigurationKey(string key)
    {
        var relative = key[_prefix.Length..].Trim('/');
        return relative.Length == 0 ? null : relative.Replace('/', ':');
    }

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested) return;
        _disposed.Cancel();
        try { _watching?.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        if (_ownsClient) _client.Dispose();
    }

    public override string ToString() => $"{GetType().Name} ({_prefix})";
}
