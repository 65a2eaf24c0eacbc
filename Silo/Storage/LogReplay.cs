using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>
/// Rebuilds the log from WAL records in write order. Entries form one contiguous run; an entries record
/// overlapping the run truncates its suffix (as Save does). A record that does not connect to the run
/// (its segment predecessors were deleted under a snapshot) starts a new run: <see cref="Finish"/> then
/// proves the kept run reaches down to the chosen snapshot, so a real hole is reported, never hidden.
/// </summary>
public sealed class LogReplay
{
    private readonly List<Entry> _run = new(); // _run[i].Index == _run[0].Index + i
    private readonly HashSet<(ulong Index, ulong Term)> _markers = new();
    private ulong _replacedThrough; // the log was replaced by a received snapshot at this index
    private HardState _hardState;

    /// <summary>Applies one record; returns the highest entry index it carried (0 for none).</summary>
    public ulong Apply(WalRecord record, string path)
    {
        try
        {
            switch (record.Type)
            {
                case WalRecordType.Entries: return ApplyEntries(WalRecordCodec.ReadEntries(record.Payload), path, record.Offset);
                case WalRecordType.HardState: _hardState = WalRecordCodec.ReadHardState(record.Payload.Span); return 0;
                case WalRecordType.SnapshotMarker: ApplyMarker(WalRecordCodec.ReadSnapshotMarker(record.Payload.Span)); return 0;
                default: throw new FormatException($"unknown record type {(byte)record.Type}");
            }
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
        {
            throw new WalCorruptException($"wal {path}: malformed record at offset {record.Offset}: {e.Message}");
        }
    }

    /// <summary>True when a marker for (index, term) was replayed: only such snapshot files may be used.</summary>
    public bool HasMarker(ulong index, ulong term) => _markers.Contains((index, term));

    private ulong ApplyEntries(List<Entry> entries, string path, long offset)
    {
        if (entries.Count == 0) return 0;
        var first = entries[0].Index;
        for (var i = 1; i < entries.Count; i++)
            if (entries[i].Index != first + (ulong)i)
                throw new WalCorruptException($"wal {path}: non-contiguous entries in record at offset {offset}");
        var connects = _run.Count > 0 && first >= _run[0].Index && first <= _run[^1].Index + 1;
        if (connects) _run.RemoveRange((int)(first - _run[0].Index), (int)(_run[^1].Index + 1 - first));
        else _run.Clear();
        _run.AddRange(entries);
        return entries[^1].Index;
    }

    private void ApplyMarker(SnapshotMarker marker)
    {
        _markers.Add((marker.Index, marker.Term));
        if (!marker.ReplacesLog) return;
        _run.Clear();
        _replacedThrough = Math.Max(_replacedThrough, marker.Index);
    }

    /// <summary>The recovered log on top of <paramref name="snapshot"/>; throws if entries between the
    /// snapshot and the replayed run are missing, or the snapshot is older than one the log was replaced by.</summary>
    public MemoryLogStorage Finish(Snapshot snapshot, string walDirectory)
    {
        var snapIndex = snapshot.Metadata.Index;
        if (snapIndex < _replacedThrough)
            throw new WalCorruptException($"wal {walDirectory}: the log was replaced by snapshot {_replacedThrough}, but the newest usable snapshot is {snapIndex}");
        if (_run.Count > 0 && _run[^1].Index > snapIndex && _run[0].Index > snapIndex + 1)
            throw new WalCorruptException($"wal {walDirectory}: entries {snapIndex + 1}..{_run[0].Index - 1} are missing (snapshot at {snapIndex})");
        var storage = new MemoryLogStorage();
        if (!snapshot.IsEmpty) storage.ApplySnapshot(snapshot);
        var keepFrom = _run.FindIndex(e => e.Index > snapIndex);
        var kept = keepFrom < 0 ? [] : _run.GetRange(keepFrom, _run.Count - keepFrom);
        storage.Save(_hardState, kept);
        return storage;
    }
}
