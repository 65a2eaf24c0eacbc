using Google.Protobuf;
using Mvccpb;

namespace Coordinator.Grains.Store;

public sealed partial class KvStore
{
    /// <summary>
    /// Replays retained changes to keys in [key, rangeEnd) (etcd's key/range_end rules) with revision
    /// &gt;= <paramref name="startRevision"/>, in revision order, each with its prev_kv — what a watch with a past
    /// start_revision must send first. Refused with etcd's compacted error when startRevision is below the
    /// compact revision (history there is gone). <paramref name="maxEvents"/> bounds the answer (0 = no bound);
    /// a bounded answer may end inside one revision, so resume by skipping what was already delivered.
    /// </summary>
    public IReadOnlyList<Event> EventsSince(ByteString key, ByteString rangeEnd, long startRevision, int maxEvents = 0)
    {
        _lock.EnterReadLock();
        try
        {
            if (startRevision < _compactRevision) throw StoreErrors.Compacted();
            var range = KeyRange.From(key, rangeEnd);
            var found = new List<(Revision At, Event Event)>();
            var cursor = _index.Seek(range.Key);
            while (cursor.TryNext(out var history))
            {
                if (range.IsPastEnd(history.Key)) break;
                var records = history.Records;
                for (var i = records.Length - 1; i >= 0 && records[i].Main >= startRevision; i--)
                {
                    var prevKv = i > 0 && !records[i - 1].IsTombstone ? ToKeyValue(history.Key, records[i - 1]) : null;
                    var change = records[i].IsTombstone
                        ? new Event { Type = Event.Types.EventType.Delete, Kv = new KeyValue { Key = UnsafeByteOperations.UnsafeWrap(history.Key), ModRevision = records[i].Main } }
                        : new Event { Type = Event.Types.EventType.Put, Kv = ToKeyValue(history.Key, records[i]) };
                    change.PrevKv = prevKv;
                    found.Add((records[i].Revision, change));
                }
            }
            found.Sort((a, b) => a.At.CompareTo(b.At));
            var events = found.Select(f => f.Event);
            return (maxEvents > 0 ? events.Take(maxEvents) : events).ToList();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }
}
