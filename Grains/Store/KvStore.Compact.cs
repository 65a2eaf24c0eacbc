using Etcdserverpb;

namespace Coordinator.Grains.Store;

public sealed partial class KvStore
{
    /// <summary>
    /// Drops history below <c>revision</c>: per key only the newest record at or below it survives, and
    /// not even that if it is a tombstone. Reads below the compact revision are refused afterwards.
    /// </summary>
    private CompactionResponse CompactLocked(CompactionRequest request)
    {
        var revision = request.Revision;
        if (revision <= _compactRevision) throw StoreErrors.Compacted();
        if (revision > _currentRevision) throw StoreErrors.FutureRevision();
        _compactRevision = revision;

        var emptied = new List<byte[]>();
        foreach (var history in _index.All())
        {
            var before = history.Count;
            var dropped = 0L;
            foreach (ref readonly var record in history.Records) dropped += RecordSize(record);
            history.Compact(revision, _values);
            if (history.Count == before) continue;
            foreach (ref readonly var record in history.Records) dropped -= RecordSize(record);
            _sizeBytes -= dropped;
            if (history.IsEmpty)
            {
                emptied.Add(history.Key);
                _sizeBytes -= KeySize(history.Key);
            }
        }
        foreach (var key in emptied) _index.Remove(key);
        if (_index.IsSparse) _index.Rebuild();
        if (_values.HasSparseChunks)
        {
            foreach (var history in _index.All()) history.RelocateValues(_values);
        }

        return new CompactionResponse { Header = Header() };
    }
}
