using Coordinator.Client.Transport;
using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;

namespace Coordinator.Client;

public sealed partial class CoordinatorClient
{
    /// <summary>The key's current value, or null when it does not exist. Linearizable.</summary>
    public async Task<KeyValue?> GetAsync(string key, CancellationToken ct = default) =>
        (await GetRangeAsync(KeyRange.Single(key), null, ct).ConfigureAwait(false)).Kvs.FirstOrDefault();

    public async Task<KeyValue?> GetAsync(byte[] key, CancellationToken ct = default) =>
        (await GetRangeAsync(KeyRange.Single(key), null, ct).ConfigureAwait(false)).Kvs.FirstOrDefault();

    /// <summary>Reads a key, a prefix (<see cref="KeyRange.Prefix(string)"/>) or an interval.</summary>
    public Task<RangeResponse> GetRangeAsync(KeyRange range, RangeOptions? options = null, CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.Range, (options ?? new RangeOptions()).ToRequest(range), ct);

    /// <summary>Every key with this prefix, in key order.</summary>
    public Task<RangeResponse> GetPrefixAsync(string prefix, CancellationToken ct = default) =>
        GetRangeAsync(KeyRange.Prefix(prefix), null, ct);

    public Task<PutResponse> PutAsync(string key, string value, long lease = 0, bool prevKv = false, CancellationToken ct = default) =>
        PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(value), Lease = lease, PrevKv = prevKv }, ct);

    public Task<PutResponse> PutAsync(byte[] key, byte[] value, long lease = 0, bool prevKv = false, CancellationToken ct = default) =>
        PutAsync(new PutRequest { Key = ByteString.CopyFrom(key), Value = ByteString.CopyFrom(value), Lease = lease, PrevKv = prevKv }, ct);

    /// <summary>A put with every field of etcd's PutRequest (ignore_value, ignore_lease).
    /// Never retried once it may have reached a server.</summary>
    public Task<PutResponse> PutAsync(PutRequest request, CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.Put, request, ct);

    public Task<DeleteRangeResponse> DeleteAsync(string key, bool prevKv = false, CancellationToken ct = default) =>
        DeleteRangeAsync(KeyRange.Single(key), prevKv, ct);

    public Task<DeleteRangeResponse> DeleteAsync(byte[] key, bool prevKv = false, CancellationToken ct = default) =>
        DeleteRangeAsync(KeyRange.Single(key), prevKv, ct);

    public Task<DeleteRangeResponse> DeleteRangeAsync(KeyRange range, bool prevKv = false, CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.DeleteRange, new DeleteRangeRequest { Key = range.Key, RangeEnd = range.RangeEnd, PrevKv = prevKv }, ct);

    /// <summary>Starts a transaction: <c>Txn().If(Compare.Version("k") == 0).Then(Op.Put("k", "v")).CommitAsync()</c>.</summary>
    public TxnBuilder Txn() => new(this);

    /// <summary>Drops history below <paramref name="revision"/>; watches and reads from earlier revisions then fail as compacted.</summary>
    public Task<CompactionResponse> CompactAsync(long revision, bool physical = false, CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.Compact, new CompactionRequest { Revision = revision, Physical = physical }, ct);
}
