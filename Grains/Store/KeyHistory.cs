using System.Runtime.InteropServices;

namespace Coordinator.Grains.Store;

/// <summary>
/// All retained changes of one key, oldest first, ordered by revision.
/// Invariant: records are sorted by (Main, Sub); after a compaction at C, at most one record has
/// Main &lt;= C and it is not a tombstone.
/// Storage: a key with one record (the common case) keeps it inline, saving an array per key;
/// with more, <see cref="_many"/> holds them all.
/// </summary>
internal sealed class KeyHistory
{
    private KeyRecord _single;   // the only record while _many is null and Count == 1
    private KeyRecord[]? _many;

    public KeyHistory(byte[] key) => Key = key;

    /// <summary>The key bytes; owned by the store, never mutated.</summary>
    public byte[] Key { get; }

    public int Count { get; private set; }

    public bool IsEmpty => Count == 0;

    public ReadOnlySpan<KeyRecord> Records => Storage;

    private Span<KeyRecord> Storage => _many is null ? MemoryMarshal.CreateSpan(ref _single, Count) : _many.AsSpan(0, Count);

    public ref readonly KeyRecord Latest => ref Storage[Count - 1];

    /// <summary>True when the key currently exists (its latest record is not a tombstone).</summary>
    public bool IsLive => Count > 0 && !Latest.IsTombstone;

    /// <summary>Index of the last record with Main &lt;= <paramref name="rev"/>, or -1.</summary>
    public int IndexAt(long rev)
    {
        var records = Records;
        int lo = 0, hi = records.Length - 1, found = -1;
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
        if (i >= 0 && !Records[i].IsTombstone)
        {
            record = Records[i];
            return true;
        }
        record = default;
        return false;
    }

    public void Append(in KeyRecord record)
    {
        if (_many is null)
        {
            if (Count == 0)
            {
                _single = record;
                Count = 1;
                return;
            }
            _many = [_single, record];
            _single = default;
            Count = 2;
            return;
        }
        if (Count == _many.Length) Array.Resize(ref _many, Count * 2);
        _many[Count++] = record;
    }

    /// <summary>
    /// Drops history that no read at or after <paramref name="atRev"/> can observe, releasing the dropped
    /// records' values into <paramref name="values"/>; trims storage.
    /// </summary>
    public void Compact(long atRev, ValueArena values)
    {
        var keepFrom = IndexAt(atRev);
        if (keepFrom < 0) return;
        if (Records[keepFrom].IsTombstone) keepFrom++;
        if (keepFrom == 0 && (_many is null || _many.Length == Count)) return;
        foreach (ref readonly var dropped in Records[..keepFrom]) values.Release(dropped.Value);
        Load(Records[keepFrom..].ToArray());
    }

    /// <summary>Moves this key's values out of sparse arena chunks (see <see cref="ValueArena.Relocate"/>).</summary>
    public void RelocateValues(ValueArena values)
    {
        foreach (ref var record in Storage) values.Relocate(ref record.Value);
    }

    /// <summary>Replaces the history with <paramref name="records"/> (already ordered); takes ownership.</summary>
    internal void Load(KeyRecord[] records)
    {
        if (records.Length <= 1)
        {
            _single = records.Length == 1 ? records[0] : default;
            _many = null;
        }
        else
        {
            _single = default;
            _many = records;
        }
        Count = records.Length;
    }
}
