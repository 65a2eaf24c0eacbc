using Etcdserverpb;
using Mvccpb;

namespace Coordinator.Grains.Store;

public sealed partial class KvStore
{
    private PutResponse PutTopLevel(PutRequest request)
    {
        if (request.Lease != 0 && !_leases.Contains(request.Lease)) throw StoreErrors.LeaseNotFound();
        CheckPutNeedsExistingKey(request);
        var batch = BeginBatch();
        var response = Put(request, batch);
        Commit(batch);
        return response;
    }

    private DeleteRangeResponse DeleteRangeTopLevel(DeleteRangeRequest request)
    {
        var batch = BeginBatch();
        var response = DeleteRange(request, batch);
        Commit(batch);
        response.Header = Header();
        return response;
    }

    /// <summary>ignore_value / ignore_lease take the current value / lease, so the key must exist.</summary>
    private void CheckPutNeedsExistingKey(PutRequest request)
    {
        if ((request.IgnoreValue || request.IgnoreLease) && _index.Find(request.Key.Span)?.IsLive != true)
            throw StoreErrors.KeyNotFound();
    }

    /// <summary>Writes one put into <paramref name="batch"/>; all checks have passed.</summary>
    private PutResponse Put(PutRequest request, WriteBatch batch)
    {
        var history = _index.Find(request.Key.Span);
        if (history is null)
        {
            history = _index.GetOrAdd(request.Key.ToByteArray());
            _sizeBytes += KeySize(history.Key);
        }
        var live = history.IsLive;
        var previous = live ? history.Latest : default;

        // ignore_value copies the bytes: every record owns its own ref (released once, at compaction).
        var value = _values.Append(request.IgnoreValue ? _values.Span(previous.Value) : request.Value.Span);
        var lease = request.IgnoreLease ? previous.Lease : request.Lease;
        var at = batch.NextRevision();
        var record = new KeyRecord
        {
            Main = at.Main,
            Sub = at.Sub,
            CreateRevision = live ? previous.CreateRevision : at.Main,
            Version = live ? previous.Version + 1 : 1,
            Lease = lease,
            Value = value,
        };
        history.Append(record);
        _sizeBytes += RecordSize(record);

        if (live && previous.Lease != 0) _leases.Detach(previous.Lease, history.Key);
        if (lease != 0) _leases.Attach(lease, history.Key);

        var prevKv = live ? ToKeyValue(history.Key, previous) : null;
        batch.Events.Add(new Event { Type = Event.Types.EventType.Put, Kv = ToKeyValue(history.Key, record), PrevKv = prevKv });

        var response = new PutResponse { Header = Header(batch.Main) };
        if (request.PrevKv && prevKv is not null) response.PrevKv = prevKv;
        return response;
    }

    /// <summary>Writes tombstones for every live key in the range; the header reflects the batch's view.</summary>
    private DeleteRangeResponse DeleteRange(DeleteRangeRequest request, WriteBatch batch)
    {
        var range = KeyRange.From(request.Key, request.RangeEnd);
        var victims = new List<KeyHistory>();
        var cursor = _index.Seek(range.Key);
        while (cursor.TryNext(out var history))
        {
            if (range.IsPastEnd(history.Key)) break;
            if (history.IsLive) victims.Add(history);
        }

        var response = new DeleteRangeResponse { Deleted = victims.Count };
        foreach (var history in victims)
        {
            var previous = history.Latest;
            var tombstone = KeyRecord.Tombstone(batch.NextRevision());
            history.Append(tombstone);
            _sizeBytes += RecordSize(tombstone);
            if (previous.Lease != 0) _leases.Detach(previous.Lease, history.Key);
            var prevKv = ToKeyValue(history.Key, previous);
            if (request.PrevKv) response.PrevKvs.Add(prevKv);
            batch.Events.Add(new Event
            {
                Type = Event.Types.EventType.Delete,
                Kv = new KeyValue { Key = prevKv.Key, ModRevision = batch.Main },
                PrevKv = prevKv,
            });
        }
        response.Header = Header(batch.ReadRevision);
        return response;
    }

    /// <summary>Removes every key attached to a lease (sorted, so all members delete in one order).</summary>
    private void DeleteKeys(IEnumerable<byte[]> keys, WriteBatch batch)
    {
        foreach (var key in keys.ToArray())
            DeleteRange(new DeleteRangeRequest { Key = Google.Protobuf.UnsafeByteOperations.UnsafeWrap(key) }, batch);
    }
}
