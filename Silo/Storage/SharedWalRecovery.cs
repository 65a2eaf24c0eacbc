using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>One group as recovery found it: its log, the snapshot it starts from (data included; the log
/// keeps it only weakly), its snapshot store and the segments holding its entries.</summary>
internal sealed record RecoveredGroup(ulong Id, WalLogState Log, Snapshot Snapshot, SnapshotStore Snapshots, GroupSegmentUse Segments);

/// <summary>What recovery hands to the shared log: the segments (the last one is appended to at
/// <see cref="AppendOffset"/>, the end of its records, unless it is a legacy one) and every group with state.</summary>
internal sealed record RecoveredLog(List<WalSegment> Segments, long AppendOffset, List<RecoveredGroup> Groups, string? LegacyDirectory);

/// <summary>
/// Opens the member's WAL: the segments of a single-group WAL of earlier versions (wal/&lt;group&gt;/, at most
/// one such group) followed by the shared segments (wal/), one gap-free sequence. Replays every record into
/// the replay of its group, cuts a torn tail off the last segment (logged) and refuses anything else that is
/// damaged, naming file and offset. A segment's records end at the file's end or where zeros follow (a
/// preallocated segment's unwritten space). Snapshot files of a group whose last record removed it are deleted.
/// </summary>
internal sealed class SharedWalRecovery(WalOptions options)
{
    private readonly IWalFileSystem _fs = options.FileSystem;
    private readonly Dictionary<ulong, LogReplay> _replays = new();
    private readonly HashSet<ulong> _removed = new();

    public RecoveredLog Recover()
    {
        var (segments, legacyDirectory) = ListSegments();
        long appendOffset = 0;
        for (var i = 0; i < segments.Count; i++) appendOffset = ReplaySegment(segments[i], isLast: i == segments.Count - 1);
        var groups = new List<RecoveredGroup>(_replays.Count);
        foreach (var (id, replay) in _replays) groups.Add(Finish(id, replay));
        foreach (var id in _removed) DeleteSnapshots(_fs, options, id);
        return new RecoveredLog(segments, appendOffset, groups, legacyDirectory);
    }

    private RecoveredGroup Finish(ulong id, LogReplay replay)
    {
        var snapshots = OpenSnapshots(options, id);
        var snapshot = snapshots.LoadNewest(f => replay.HasMarker(f.Index, f.Term)) ?? Snapshot.Empty;
        var log = replay.Finish(snapshot.Metadata, $"wal {options.WalDirectory} group {id}", options.EntryCacheBytes);
        var kept = snapshots.List();
        if (kept.Count > 0) replay.Segments.Release(kept[^1].Index);
        return new RecoveredGroup(id, log, snapshot, snapshots, replay.Segments);
    }

    /// <summary>The snapshot store of <paramref name="groupId"/>, its directory present and without the temp
    /// files of a save a crash interrupted. Call before any save of the group starts.</summary>
    internal static SnapshotStore OpenSnapshots(WalOptions options, ulong groupId)
    {
        var directory = WalPaths.SnapshotDirectory(options.DataDir, groupId);
        options.FileSystem.CreateDirectory(directory);
        var snapshots = new SnapshotStore(options.FileSystem, directory, options.Log, options.SnapshotWritePace);
        snapshots.DeleteLeftovers();
        return snapshots;
    }

    /// <summary>Deletes every snapshot file of a removed group and its directory.</summary>
    internal static void DeleteSnapshots(IWalFileSystem fs, WalOptions options, ulong groupId)
    {
        var directory = WalPaths.SnapshotDirectory(options.DataDir, groupId);
        if (!fs.ListDirectories(WalPaths.SnapshotRoot(options.DataDir)).Contains(directory)) return;
        foreach (var file in fs.ListFiles(directory)) fs.Delete(file);
        fs.DeleteDirectory(directory);
        fs.FlushDirectory(WalPaths.SnapshotRoot(options.DataDir));
    }

    private (List<WalSegment> Segments, string? LegacyDirectory) ListSegments()
    {
        var legacy = _fs.ListDirectories(options.WalDirectory)
            .Select(d => (Directory: d, Group: WalPaths.ParseGroupDirectory(d)))
            .Where(d => d.Group is not null)
            .Select(d => (d.Directory, Segments: _fs.ListFiles(d.Directory).Select(f => WalSegment.TryParse(f, d.Group)).OfType<WalSegment>().ToList()))
            .Where(d => d.Segments.Count > 0)
            .ToList();
        if (legacy.Count > 1)
            throw new WalCorruptException($"wal {options.WalDirectory}: holds the single-group logs of more than one group " +
                                          $"({string.Join(", ", legacy.Select(l => l.Directory))}); a data dir has at most one");
        var segments = legacy.SelectMany(l => l.Segments.OrderBy(s => s.Sequence))
            .Concat(_fs.ListFiles(options.WalDirectory).Select(f => WalSegment.TryParse(f)).OfType<WalSegment>().OrderBy(s => s.Sequence))
            .ToList();
        if (segments.Count > 0 && segments[^1].Sequence > uint.MaxValue)
            throw new WalCorruptException($"wal {options.WalDirectory}: segment sequence {segments[^1].Sequence} is out of range");
        for (var i = 1; i < segments.Count; i++)
        {
            if (segments[i].Sequence != segments[i - 1].Sequence + 1)
                throw new WalCorruptException(
                    $"wal {options.WalDirectory}: segment {WalSegment.FileName(segments[i - 1].Sequence + 1)} is missing " +
                    $"(between {segments[i - 1].Path} and {segments[i].Path})");
        }
        if (legacy.Count == 1)
        {
            // The old WAL's spare segment is never used: new segments are made in the shared directory.
            var spare = Path.Combine(legacy[0].Directory, SegmentPipeline.SpareFileName);
            if (_fs.ListFiles(legacy[0].Directory).Contains(spare)) _fs.Delete(spare);
        }
        return (segments, legacy.Count == 1 ? legacy[0].Directory : null);
    }

    /// <summary>Replays the records of <paramref name="segment"/>; returns the offset where they end.</summary>
    private long ReplaySegment(WalSegment segment, bool isLast)
    {
        var bytes = _fs.ReadAllBytes(segment.Path);
        long offset = 0;
        while (true)
        {
            var status = WalFrame.TryRead(bytes, offset, out var record);
            if (status == FrameStatus.Ok)
            {
                Apply(record, segment);
                offset += record.FrameLength;
                continue;
            }
            if (status == FrameStatus.End && IsZero(bytes, offset)) return offset;
            if (!isLast || !IsTornTail(bytes, offset, status))
                throw new WalCorruptException($"wal {segment.Path}: {Describe(status)} at offset {offset} (file is {bytes.Length} bytes)");
            CutTornTail(segment, offset, bytes.Length, status);
            return offset;
        }
    }

    /// <summary>Hands a record to its group's replay: a group record names its group; a record without one
    /// belongs to the group of the single-group segment it is in, and is damage anywhere else.</summary>
    private void Apply(WalRecord record, WalSegment segment)
    {
        ulong group;
        WalRecordType kind;
        if (WalRecordCodec.IsGroupRecord(record.Type))
        {
            try { group = WalRecordCodec.ReadGroupId(record.Payload.Span); }
            catch (FormatException e) { throw new WalCorruptException($"wal {segment.Path}: malformed record at offset {record.Offset}: {e.Message}"); }
            if (record.Type == WalRecordType.GroupRemoved)
            {
                if (record.Payload.Length != WalRecordCodec.GroupIdSize)
                    throw new WalCorruptException($"wal {segment.Path}: malformed record at offset {record.Offset}: group removal of {record.Payload.Length} bytes");
                _replays.Remove(group);
                _removed.Add(group);
                return;
            }
            kind = record.Type switch
            {
                WalRecordType.GroupEntries => WalRecordType.Entries,
                WalRecordType.GroupHardState => WalRecordType.HardState,
                _ => WalRecordType.SnapshotMarker,
            };
        }
        else if (segment.LegacyGroup is { } legacy && record.Type is WalRecordType.Entries or WalRecordType.HardState or WalRecordType.SnapshotMarker)
        {
            group = legacy;
            kind = record.Type;
        }
        else throw new WalCorruptException($"wal {segment.Path}: malformed record at offset {record.Offset}: unexpected record type {(byte)record.Type}");
        _removed.Remove(group);
        if (!_replays.TryGetValue(group, out var replay)) _replays[group] = replay = new LogReplay();
        replay.Apply(kind, record, WalRecordCodec.IsGroupRecord(record.Type) ? WalRecordCodec.GroupIdSize : 0, segment);
    }

    /// <summary>
    /// What a crash during a write can leave in the last segment: a record running past the end of the file
    /// (appended), or, since the disk may persist the sectors of unsynced writes in any order, a record that
    /// fails its checksum and either has a sector (<see cref="WalOptions.SectorSize"/>) it never reached,
    /// still zero, or is followed by nothing but zeros; or a zero header (a sector never written) followed by
    /// data that was. Everything from there on was never acknowledged (no fsync covered it).
    /// </summary>
    private bool IsTornTail(byte[] bytes, long offset, FrameStatus status)
    {
        switch (status)
        {
            case FrameStatus.Short: return true;
            case FrameStatus.End: return true; // a zero header with data after it: IsZero failed
            case FrameStatus.BadChecksum:
                var frameEnd = offset + WalFrame.HeaderSize + System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)offset));
                return IsZero(bytes, frameEnd) || HasUnwrittenSector(bytes, offset, frameEnd);
            default: return false;
        }
    }

    /// <summary>True when the part of [start, end) in some sector (aligned file offsets) is all zeros.</summary>
    private bool HasUnwrittenSector(byte[] bytes, long start, long end)
    {
        var sector = options.SectorSize;
        for (var from = start; from < end;)
        {
            var to = Math.Min(end, (from / sector + 1) * sector);
            if (bytes.AsSpan((int)from, (int)(to - from)).IndexOfAnyExcept((byte)0) < 0) return true;
            from = to;
        }
        return false;
    }

    private static bool IsZero(byte[] bytes, long from) => bytes.AsSpan((int)from).IndexOfAnyExcept((byte)0) < 0;

    private void CutTornTail(WalSegment segment, long offset, long length, FrameStatus status)
    {
        using (var file = _fs.OpenAppend(segment.Path)) file.Truncate(offset);
        options.Log?.Invoke($"wal {segment.Path}: cut torn tail at offset {offset} ({Describe(status)}, {length - offset} bytes dropped)");
    }

    private static string Describe(FrameStatus status) => status switch
    {
        FrameStatus.Short => "incomplete record",
        FrameStatus.BadChecksum => "checksum mismatch",
        FrameStatus.End => "data after a zero (unwritten) record header",
        _ => status.ToString(),
    };
}
