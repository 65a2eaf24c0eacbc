using System.Globalization;
using Coordinator.Client;
using Coordinator.Orleans.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Coordinator.Orleans.Storage;

/// <summary>Grain state in Coordinator or etcd, one key per grain and state name. The etag is the key's
/// mod_revision. Every write and clear is a Txn that compares the key's mod_revision with the etag the grain holds
/// (or, with no etag, requires that the key does not exist), so a second activation of the same grain — which
/// Orleans does not rule out under failures — can never overwrite state newer than what it read: it gets an
/// <see cref="InconsistentStateException"/> instead. Safety rests on this compare-and-swap, never on Orleans'
/// single activation.</summary>
public sealed class CoordinatorGrainStorage : IGrainStorage, IAsyncDisposable
{
    private readonly string _name;
    private readonly string _prefix;
    private readonly CoordinatorGrainStorageOptions _options;
    private readonly CoordinatorClient _client;
    private readonly IActivatorProvider _activators;
    private readonly ILogger _logger;

    public CoordinatorGrainStorage(string name, CoordinatorGrainStorageOptions options, IOptions<ClusterOptions> cluster,
        IActivatorProvider activators, ILogger<CoordinatorGrainStorage> logger)
    {
        _name = name;
        _options = options;
        _prefix = KeyLayout.Area(options.RootPrefix, cluster.Value.ServiceId, "grains") + KeyLayout.Escape(name) + "/";
        _activators = activators;
        _logger = logger;
        _client = new CoordinatorClient(options.Client);
    }

    internal string KeyOf(string stateName, GrainId grainId) => $"{_prefix}{KeyLayout.Escape(stateName)}/{KeyLayout.Escape(grainId.ToString())}";

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = KeyOf(stateName, grainId);
        var kv = await Call("read", key, () => _client.GetAsync(key)).ConfigureAwait(false);
        if (kv is null || kv.Value.IsEmpty) // absent, or cleared (an empty record keeps the etag chain going)
        {
            grainState.State = _activators.GetActivator<T>().Create();
            grainState.ETag = kv is null ? null : Etag(kv.ModRevision);
            grainState.RecordExists = false;
            return;
        }
        T? state;
        try { state = _options.GrainStorageSerializer.Deserialize<T>(new BinaryData(kv.Value.Memory)); }
        catch (Exception e)
        {
            throw new CoordinatorProviderException(
                $"grain storage {_name}: the record at {key} could not be read as {typeof(T)}: {e.Message}", e);
        }
        grainState.State = state ?? _activators.GetActivator<T>().Create();
        grainState.ETag = Etag(kv.ModRevision);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = KeyOf(stateName, grainId);
        var value = _options.GrainStorageSerializer.Serialize(grainState.State).ToArray();
        if (value.Length == 0)
            throw new CoordinatorProviderException($"grain storage {_name}: the serializer wrote no bytes for {typeof(T)} of {grainId}; an empty record means \"cleared\"");
        var revision = await CompareAndSwap("write", stateName, grainId, key, grainState.ETag, Op.Put(KeyLayout.Utf8(key), value), value.Length).ConfigureAwait(false);
        grainState.ETag = Etag(revision);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = KeyOf(stateName, grainId);
        var op = _options.DeleteStateOnClear ? Op.Delete(key) : Op.Put(KeyLayout.Utf8(key), []);
        var revision = await CompareAndSwap("clear", stateName, grainId, key, grainState.ETag, op, 0).ConfigureAwait(false);
        grainState.ETag = _options.DeleteStateOnClear ? null : Etag(revision);
        grainState.State = _activators.GetActivator<T>().Create();
        grainState.RecordExists = false;
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    /// <summary>Applies <paramref name="op"/> only if the key is still at <paramref name="etag"/> (absent when the
    /// etag is null); returns the new revision or throws <see cref="InconsistentStateException"/> with the stored etag.</summary>
    private async Task<long> CompareAndSwap(string operation, string stateName, GrainId grainId, string key, string? etag, Op op, int bytes)
    {
        var guard = etag is null
            ? Compare.CreateRevision(key) == 0
            : Compare.ModRevision(key) == ParseEtag(etag, key);
        var response = await Call(operation, key, () => _client.Txn().If(guard).Then(op).Else(Op.Get(key)).CommitAsync(), bytes).ConfigureAwait(false);
        if (response.Succeeded) return response.Header.Revision;
        var stored = response.Responses[0].ResponseRange.Kvs.FirstOrDefault();
        var storedEtag = stored is null ? null : Etag(stored.ModRevision);
        Log.GrainStateConflict(_logger, stateName, grainId.ToString(), etag, storedEtag);
        throw new InconsistentStateException(
            $"grain storage {_name}: {operation} of {stateName} for {grainId} refused: it holds etag {etag ?? "(none)"} but the store has {storedEtag ?? "no record"} at {key}; another activation wrote in between",
            storedEtag, etag);
    }

    private static string Etag(long modRevision) => modRevision.ToString(CultureInfo.InvariantCulture);

    private static long ParseEtag(string etag, string key) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            ? revision
            : throw new InconsistentStateException($"etag \"{etag}\" for {key} was not issued by this storage (a mod_revision)", null, etag);

    private async Task<TResult> Call<TResult>(string operation, string key, Func<Task<TResult>> call, int bytes = 0)
    {
        try { return await call().ConfigureAwait(false); }
        catch (CoordinatorException e)
        {
            Log.GrainStorageFailed(_logger, e, _name, operation, key);
            var tooLarge = e.StatusCode is Grpc.Core.StatusCode.ResourceExhausted
                || e.Detail.Contains("too large", StringComparison.OrdinalIgnoreCase);
            var hint = tooLarge
                ? $" The state is {bytes} bytes; the server accepts requests up to its --max-request-bytes (1.5 MiB by default). Nothing was written."
                : "";
            throw new CoordinatorProviderException($"grain storage {_name}: {operation} {key} failed: {e.Message}.{hint}", e);
        }
    }
}
