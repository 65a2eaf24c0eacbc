using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>
/// Rebuilds one group's log from its WAL records in write order, as entry locations (payloads are not kept).
/// Entries form one contiguous run; an entries record overlapping the run truncates its suffix (as Save does).
/// A record that does not connect to the run (its segment predecessors were deleted under a snapshot) starts
/// a new run: <see cref="Finish"/> then proves the kept run reaches down to the chosen snapshot, so a real
/// hole is reported, never hidden.
/// </summary>
public sealed class LogReplay
{
    private readonly IndexedRun<EntryLocation> _run = new(0);
    private readonly List<WalRecordCodec.EntryHeader> _headers = new(); // scratch for one record
    private readonly HashSet<(ulong Index, ulong Term)> _markers = new();
    private ulong _replacedThrough; // the log was replaced by a received snapshot at this index
    private HardState _hardState;

    /// <summary>The segments holding this group's entries, as the writer tracks them.</summary>
    internal GroupSegmentUse Segments { get; } = new();

    /// <summary>Applies one record of <paramref name="segment"/> whose body (of kind <paramref name="kind"/>:
    /// Entries, HardState or SnapshotMarker) starts at <paramref name="bodyOffset"/> of its payload.</summary>
    public void Apply(WalRecordType kind, WalRecord record, int bodyOffset, WalSegment segment)
    {
        try
        {
            var body = record.Payload.Span[bodyOffset..];
            switch (kind)
            {
                case WalRecordType.Entries: ApplyEntries(record, bodyOffset, segment); break;
                case WalRecordType.HardState: _hardState = WalRecordCodec.ReadHardState(body); break;
                case WalRecordType.SnapshotMarker: ApplyMarker(WalRecordCodec.ReadSnapshotMarker(body)); break;
                default: throw new FormatException($"unknown record type {(byte)record.Type}");
            }
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
        {
            throw new WalCorruptException($"wal {segment.Path}: malformed record at offset {record.Offset}: {e.Message}");
        }
    }

    /// <summary>True when a marker for (index, term) was replayed: only such snapshot files may be used.</summary>
    public bool HasMarker(ulong index, ulong term) => _markers.Contains((index, term));

    private void ApplyEntries(WalRecord record, int bodyOffset, WalSegment segment)
    {
        WalRecordCodec.ScanEntries(record.Payload.Span, bodyOffset, _headers);
        if (_headers.Count == 0) return;
        var first = _headers[0].Index;
        for (var i = 1; i < _headers.Count; i++)
            if (_headers[i].Index != first + (ulong)i)
                throw new WalCorruptException($"wal {segment.Path}: non-contiguous entries in record at offset {record.Offset}");
        var connects = _run.Count > 0 && first >= _run.First && first <= _run.End;
        // A record replacing the whole run (a carried-forward copy, or entries after a gap) leaves nothing
        // of the group in earlier segments.
        if (!connects || first == _run.First) Segments.Clear();
        if (connects) _run.TruncateFrom(first);
        else _run.Reset(first);
        var sequence = (uint)segment.Sequence; // recovery admits only sequences that fit
        foreach (var h in _headers)
            _run.Add(new EntryLocation(h.Term, record.Offset, sequence, record.FrameLength, h.Offset, h.DataLength));
        Segments.Note(segment.Sequence, _headers[^1].Index);
    }

    private void ApplyMarker(SnapshotMarker marker)
    {
        _markers.Add((marker.Index, marker.Term));
        if (!marker.ReplacesLog) return;
        _run.Reset(0);
        Segments.Clear();
        _replacedThrough = Math.Max(_replacedThrough, marker.Index);
    }

    /// <summary>The recovered log on top of <paramref name="snapshot"/>; throws if entries between the
    /// snapshot and the replayed run are missing, or the snapshot is older than one the log was replaced by.</summary>
    internal WalLogState Finish(SnapshotMetadata snapshot, string where, long cacheBytes)
    {
        var snapIndex = snapshot.Index;
        if (snapIndex < _replacedThrough)
            throw new WalCorruptException($"{where}: the log was replaced by snapshot {_replacedThrough}, but the newest usable snapshot is {snapIndex}");
        var last = _run.End - 1;
        if (_run.Count > 0 && last > snapIndex && _run.First > snapIndex + 1)
            throw new WalCorruptException($"{where}: entries {snapIndex + 1}..{_run.First - 1} are missing (snapshot at {snapIndex})");
        if (_run.Count == 0 || last <= snapIndex) _run.Reset(snapIndex + 1);
        else _run.DropBefore(snapIndex + 1);
        return new WalLogState(_hardState, snapshot, _run, cacheBytes);
    }
}
