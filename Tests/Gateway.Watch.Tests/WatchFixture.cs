using Coordinator.Gateway.Watch;
using Coordinator.Grains.Store;
using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;

namespace Coordinator.Tests.Gateway.Watch;

/// <summary>
/// A real store, a hub over it, and an apply path that mirrors the host: apply one entry, then publish its
/// events and the store revision. Writes are serialized like the apply loop. Every applied event is kept.
/// </summary>
internal sealed class WatchFixture : IDisposable
{
    private readonly Lock _applyLock = new();
    private ulong _nextIndex = 1;

    public WatchFixture(WatchHubOptions? options = null, StoreOptions? storeOptions = null)
    {
        Store = new KvStore(storeOptions);
        Hub = new WatchHub(Store, Source, options ?? WatchHubOptions.Default);
    }

    public KvStore Store { get; }
    public TestEventSource Source { get; } = new();
    public WatchHub Hub { get; }

    /// <summary>Every applied event in revision order (the model the watches are checked against).</summary>
    public List<Event> History { get; } = [];

    public static ByteString B(string s) => ByteString.CopyFromUtf8(s);

    public ApplyResult Apply(RaftRequest request)
    {
        lock (_applyLock)
        {
            var result = Store.Apply(request, _nextIndex++);
            if (result.Error is not null) throw result.Error;
            History.AddRange(result.Events);
            Source.Publish(result.Events, Store.CurrentRevision);
            return result;
        }
    }

    public long Put(string key, string value) =>
        Apply(new RaftRequest { Put = new PutRequest { Key = B(key), Value = B(value) } }).LastRevision;

    public long Delete(string key, string? end = null) =>
        Apply(new RaftRequest { DeleteRange = new DeleteRangeRequest { Key = B(key), RangeEnd = end is null ? ByteString.Empty : B(end) } }).LastRevision;

    public long Txn(params RequestOp[] ops)
    {
        var txn = new TxnRequest();
        txn.Success.AddRange(ops);
        return Apply(new RaftRequest { Txn = txn }).LastRevision;
    }

    public void Compact(long revision) =>
        Apply(new RaftRequest { Compaction = new CompactionRequest { Revision = revision } });

    public static RequestOp OpPut(string key, string value) =>
        new() { RequestPut = new PutRequest { Key = B(key), Value = B(value) } };

    public static RequestOp OpDelete(string key) =>
        new() { RequestDeleteRange = new DeleteRangeRequest { Key = B(key) } };

    public static WatchCreateRequest WatchKey(string key, string? end = null, long start = 0, long id = 0, bool prevKv = false) =>
        new() { Key = B(key), RangeEnd = end is null ? ByteString.Empty : B(end), StartRevision = start, WatchId = id, PrevKv = prevKv };

    public static WatchCreateRequest WatchPrefix(string prefix, long start = 0, long id = 0)
    {
        var end = System.Text.Encoding.UTF8.GetBytes(prefix);
        end[^1]++;
        return new() { Key = B(prefix), RangeEnd = ByteString.CopyFrom(end), StartRevision = start, WatchId = id };
    }

    public void Dispose() => Hub.Dispose();
}
