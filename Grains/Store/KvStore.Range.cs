using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;

namespace Coordinator.Grains.Store;

public sealed partial class KvStore
{
    /// <summary>A read outside the log (serializable read), against the state applied so far.</summary>
    public RangeResponse Range(RangeRequest request)
    {
        Validator.ValidateRange(request);
        _lock.EnterReadLock();
        try { return RangeLocked(request, _currentRevision); }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>
    /// etcd's range semantics. <paramref name="viewRevision"/> is the newest revision visible (inside a
    /// write txn, its own changes); it is also the header revision. count ignores limit and the
    /// min/max filters; with a sort or a filter every match is fetched before truncating to limit.
    /// </summary>
    private RangeResponse RangeLocked(RangeRequest request, long viewRevision)
    {
        var rev = request.Revision;
        if (rev > viewRevision) throw StoreErrors.FutureRevision();
        if (rev <= 0) rev = viewRevision;
        if (rev < _compactRevision) throw StoreErrors.Compacted();

        var fetchAll = request.SortOrder != RangeRequest.Types.SortOrder.None
            || request.MinModRevision != 0 || request.MaxModRevision != 0
            || request.MinCreateRevision != 0 || request.MaxCreateRevision != 0;
        var fetchLimit = fetchAll || request.Limit <= 0 ? long.MaxValue : request.Limit + 1;

        var range = KeyRange.From(request.Key, request.RangeEnd);
        var found = new List<(byte[] Key, KeyRecord Record)>();
        long count = 0;
        var cursor = _index.Seek(range.Key);
        while (cursor.TryNext(out var history))
        {
            if (range.IsPastEnd(history.Key)) break;
            if (!history.TryGetVisible(rev, out var record)) continue;
            count++;
            if (!request.CountOnly && found.Count < fetchLimit) found.Add((history.Key, record));
        }

        IEnumerable<(byte[] Key, KeyRecord Record)> kvs = found;
        if (request.MaxModRevision != 0) kvs = kvs.Where(kv => kv.Record.Main <= request.MaxModRevision);
        if (request.MinModRevision != 0) kvs = kvs.Where(kv => kv.Record.Main >= request.MinModRevision);
        if (request.MaxCreateRevision != 0) kvs = kvs.Where(kv => kv.Record.CreateRevision <= request.MaxCreateRevision);
        if (request.MinCreateRevision != 0) kvs = kvs.Where(kv => kv.Record.CreateRevision >= request.MinCreateRevision);
        kvs = Sort(kvs, request.SortOrder, request.SortTarget);

        var response = new RangeResponse { Header = Header(viewRevision), Count = count };
        foreach (var (key, record) in kvs)
        {
            if (request.Limit > 0 && response.Kvs.Count == request.Limit)
            {
                response.More = true;
                break;
            }
            response.Kvs.Add(ToKeyValue(key, record, request.KeysOnly));
        }
        return response;
    }

    // Stable sorts: ties keep ascending key order (etcd's unstable sort leaves them unspecified).
    private static readonly Comparer<ReadOnlyMemory<byte>> ValueOrder =
        Comparer<ReadOnlyMemory<byte>>.Create((a, b) => ByteKeyComparer.CompareKeys(a.Span, b.Span));

    private IEnumerable<(byte[] Key, KeyRecord Record)> Sort(
        IEnumerable<(byte[] Key, KeyRecord Record)> kvs, RangeRequest.Types.SortOrder order, RangeRequest.Types.SortTarget target)
    {
        // Results come in key order; a non-key target without an order means ascending (etcd's rule).
        if (order == RangeRequest.Types.SortOrder.None && target != RangeRequest.Types.SortTarget.Key)
            order = RangeRequest.Types.SortOrder.Ascend;
        if (order == RangeRequest.Types.SortOrder.None) return kvs;
        var descending = order == RangeRequest.Types.SortOrder.Descend;
        return target switch
        {
            RangeRequest.Types.SortTarget.Version => By(kvs, kv => kv.Record.Version, descending),
            RangeRequest.Types.SortTarget.Create => By(kvs, kv => kv.Record.CreateRevision, descending),
            RangeRequest.Types.SortTarget.Mod => By(kvs, kv => kv.Record.Main, descending),
            RangeRequest.Types.SortTarget.Value => descending
                ? kvs.OrderByDescending(kv => _values.Memory(kv.Record.Value), ValueOrder)
                : kvs.OrderBy(kv => _values.Memory(kv.Record.Value), ValueOrder),
            _ => descending
                ? kvs.OrderByDescending(kv => kv.Key, ByteKeyComparer.Instance)
                : kvs.OrderBy(kv => kv.Key, ByteKeyComparer.Instance),
        };

        static IEnumerable<(byte[] Key, KeyRecord Record)> By(
            IEnumerable<(byte[] Key, KeyRecord Record)> kvs, Func<(byte[] Key, KeyRecord Record), long> field, bool descending) =>
            descending ? kvs.OrderByDescending(field) : kvs.OrderBy(field);
    }

    /// <summary>Wraps the stored key and value bytes without copying; both are immutable once stored.</summary>
    internal KeyValue ToKeyValue(byte[] key, in KeyRecord record, bool keysOnly = false) => new()
    {
        Key = UnsafeByteOperations.UnsafeWrap(key),
        CreateRevision = record.CreateRevision,
        ModRevision = record.Main,
        Version = record.Version,
        Lease = record.Lease,
        Value = keysOnly || record.Value.IsEmpty ? ByteString.Empty : UnsafeByteOperations.UnsafeWrap(_values.Memory(record.Value)),
    };
}
