using Coordinator.Grains.Store;
using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;

namespace Coordinator.Tests.Store;

/// <summary>Drives a <see cref="KvStore"/> through Apply with increasing raft indexes; refusals throw.</summary>
internal sealed class TestStore(StoreOptions? options = null, int valueChunkBytes = ValueArena.DefaultChunkBytes)
{
    public KvStore Store { get; private set; } = new(options, valueChunkBytes);
    public ulong NextIndex { get; private set; } = 1;
    public List<Event> Events { get; } = [];

    public static ByteString B(string s) => ByteString.CopyFromUtf8(s);

    public ApplyResult ApplyRaw(RaftRequest request)
    {
        var result = Store.Apply(request, NextIndex++);
        Events.AddRange(result.Events);
        return result;
    }

    public T Apply<T>(RaftRequest request) where T : class, IMessage
    {
        var result = ApplyRaw(request);
        if (result.Error is not null) throw result.Error;
        return (T)result.Response!;
    }

    public PutResponse Put(string key, string value, long lease = 0, bool prevKv = false) =>
        Put(new PutRequest { Key = B(key), Value = B(value), Lease = lease, PrevKv = prevKv });

    public PutResponse Put(PutRequest request) => Apply<PutResponse>(new RaftRequest { Put = request });

    public DeleteRangeResponse Delete(string key, string? end = null, bool prevKv = false) =>
        Apply<DeleteRangeResponse>(new RaftRequest
        {
            DeleteRange = new DeleteRangeRequest { Key = B(key), RangeEnd = end is null ? ByteString.Empty : B(end), PrevKv = prevKv },
        });

    public TxnResponse Txn(TxnRequest request) => Apply<TxnResponse>(new RaftRequest { Txn = request });

    public CompactionResponse Compact(long revision) =>
        Apply<CompactionResponse>(new RaftRequest { Compaction = new CompactionRequest { Revision = revision } });

    public LeaseGrantResponse Grant(long ttl, long id = 0) =>
        Apply<LeaseGrantResponse>(new RaftRequest { LeaseGrant = new LeaseGrantRequest { TTL = ttl, ID = id } });

    public LeaseRevokeResponse Revoke(long id) =>
        Apply<LeaseRevokeResponse>(new RaftRequest { LeaseRevoke = new LeaseRevokeRequest { ID = id } });

    public RangeResponse Get(string key, string? end = null, long revision = 0) =>
        Store.Range(new RangeRequest { Key = B(key), RangeEnd = end is null ? ByteString.Empty : B(end), Revision = revision });

    public RangeResponse Range(RangeRequest request) => Store.Range(request);

    public string? Value(string key, long revision = 0) =>
        Get(key, revision: revision).Kvs.SingleOrDefault()?.Value.ToStringUtf8();

    public static RequestOp OpPut(string key, string value, long lease = 0) =>
        new() { RequestPut = new PutRequest { Key = B(key), Value = B(value), Lease = lease } };

    public static RequestOp OpDelete(string key, string? end = null) =>
        new() { RequestDeleteRange = new DeleteRangeRequest { Key = B(key), RangeEnd = end is null ? ByteString.Empty : B(end) } };

    public static RequestOp OpGet(string key, string? end = null, long revision = 0) =>
        new() { RequestRange = new RangeRequest { Key = B(key), RangeEnd = end is null ? ByteString.Empty : B(end), Revision = revision } };

    public static RequestOp OpTxn(TxnRequest txn) => new() { RequestTxn = txn };

    public static string[] Keys(RangeResponse r) => r.Kvs.Select(kv => kv.Key.ToStringUtf8()).ToArray();
}

internal static class StoreAssert
{
    public static StoreException Refused(Action action, StatusCode code, string message)
    {
        var e = Xunit.Assert.Throws<StoreException>(action);
        Xunit.Assert.Equal(code, e.Code);
        Xunit.Assert.Equal(message, e.Message);
        return e;
    }
}
