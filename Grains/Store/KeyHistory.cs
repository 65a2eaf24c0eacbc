namespace Coordinator.Grains.Store;

/// <summary>
/// All retained changes of one key, oldest first, ordered by revision.
/// Invariant: records[0..Count) are sorted by (Main, Sub); after a compaction at C, at most one
/// record has Main &lt;= C and it is not a tombstone.
/// </summary>
internal sealed class KeyHistory
{
    private KeyRecord[] _records;

    public KeyHistory(byte[] key)
    {
        Key = key;
        _records = [];
    }

    /// <summary>The key bytes; owned by the store, never mutated.</summary>
    public byte[] Key { get; }

    public int Count { get; private set; }

    public bool IsEmpty => Count == 0;

    public ReadOnlySpan<KeyRecord> Records => _records.AsSpan(0, Count);

    public ref readonly KeyRecord Latest => ref _records[Count - 1];

    /// <summary>True when the key currently exists (its latest record is not a tombstone).</summary>
    public bool IsLive => Count > 0 && !_records[Count - 1].IsTombstone;

    /// <summary>Index of the last record with Main &lt;= <paramref name="rev"/>, or -1.</summary>
    public int IndexAt(long rev)
    {
        var records = _records;
        int lo = 0, hi = Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (records[mid].Main <= rev) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found;
    }

    /// <summary>The record visible at <paramref name="rev"/>, if the key existed then.</summary>
    public bool TryGetVisible(long rev, out KeyRecord record)
    {
        var i = IndexAt(rev);
        if (i >= 0 && !_records[i].IsTombstone)
        {
            record = _records[i];
            return true;
        }
        record = default;
        return false;
    }

    public void Append(in KeyRecord record)
    {
        if (Count == _records.Length)
        {
            var grown = new KeyRecord[Count < 2 ? Count + 1 : Count * 2];
            Array.Copy(_records, grown, Count);
            _records = grown;
        }
        _records[Count++] = record;
    }

    /// <summary>
    /// Drops history that no read at or after <paramref name="atRev"/> can observe; trims storage.
    /// </summary>
    public void Compact(long atRev)
    {
        var keepFrom = IndexAt(atRev);
        if (keepFrom < 0) return;
        if (_records[keepFrom].IsTombstone) keepFrom++;
        var remaining = Count - keepFrom;
        if (keepFrom == 0 && remaining == _records.Length) return;
        var trimmed = remaining == 0 ? [] : new KeyRecord[remaining];
        Array.Copy(_records, keepFrom, trimmed, 0, remaining);
        _records = trimmed;
        Count = remaining;
    }

    /// <summary>Restores a history read from a snapshot; records must already be ordered.</summary>
    internal void Load(KeyRecord[] records)
    {
        _records = records;
        Count = records.Length;
    }
}
