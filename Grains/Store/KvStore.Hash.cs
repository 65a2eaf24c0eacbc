namespace Coordinator.Grains.Store;

public sealed partial class KvStore
{
    /// <summary>
    /// CRC-32C over every retained change with main revision &lt;= <paramref name="revision"/> (0 = current),
    /// key by key in key order; like etcd's HashKV it is comparable across members at the same revision and
    /// compact revision. Errors as etcd: at or below the compact revision, or above the current one.
    /// </summary>
    public HashKvResult HashKv(long revision)
    {
        _lock.EnterReadLock();
        try { return HashKvLocked(revision); }
        finally { _lock.ExitReadLock(); }
    }

    private HashKvResult HashKvLocked(long revision)
    {
        {
            if (revision > 0 && revision <= _compactRevision) throw StoreErrors.Compacted();
            if (revision > 0 && revision > _currentRevision) throw StoreErrors.FutureRevision();
            if (revision <= 0) revision = _currentRevision;

            var crc = new Crc32C();
            foreach (var history in _index.All())
            {
                foreach (ref readonly var record in history.Records)
                {
                    if (record.Main > revision) break;
                    crc.Append(record.Main);
                    crc.Append(record.Sub);
                    crc.Append(history.Key.Length);
                    crc.Append(history.Key);
                    crc.Append(record.CreateRevision);
                    crc.Append(record.Version);
                    crc.Append(record.Lease);
                    crc.Append(record.IsTombstone ? -1 : record.Value.Length);
                    crc.Append(_values.Span(record.Value));
                }
            }
            return new HashKvResult(crc.Value, _compactRevision, _currentRevision);
        }
    }

    /// <summary>Hash of the whole state machine: key history, revisions and the lease table.</summary>
    public uint Hash()
    {
        _lock.EnterReadLock();
        try
        {
            var kv = HashKvLocked(0);
            var crc = new Crc32C();
            crc.Append(kv.Hash);
            crc.Append(_compactRevision);
            crc.Append(_currentRevision);
            foreach (var lease in _leases.Ordered())
            {
                crc.Append(lease.Id);
                crc.Append(lease.Ttl);
                crc.Append(lease.RemainingTtl);
                crc.Append(lease.Keys.Count);
            }
            return crc.Value;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }
}
