using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>What recovery hands to the WAL: the rebuilt log, the segments (the last one is appended to at
/// <see cref="AppendOffset"/>, the end of its records) and the snapshot it starts from, data included (the WAL
/// keeps it only weakly).</summary>
internal sealed record RecoveredWal(WalLogState Log, List<WalSegment> Segments, long AppendOffset, Snapshot Snapshot);

/// <summary>
/// Opens a group's WAL directory: checks the segment sequence has no gap, replays every record, cuts a torn
/// tail off the last segment (logged) and refuses anything else that is damaged, naming file and offset.
/// A segment's records end at the file's end or where zeros follow (a preallocated segment's unwritten space).
/// </summary>
public sealed class WalRecovery(WalOptions options, SnapshotStore snapshots)
{
    private readonly IWalFileSystem _fs = options.FileSystem;

    internal RecoveredWal Recover()
    {
        var segments = ListSegments();
        var replay = new LogReplay();
        long appendOffset = 0;
        for (var i = 0; i < segments.Count; i++) appendOffset = ReplaySegment(segments[i], replay, isLast: i == segments.Count - 1);
        var snapshot = snapshots.LoadNewest(f => replay.HasMarker(f.Index, f.Term)) ?? Snapshot.Empty;
        var log = replay.Finish(snapshot.Metadata, options.WalDirectory, options.EntryCacheBytes);
        return new RecoveredWal(log, segments, appendOffset, snapshot);
    }

    private List<WalSegment> ListSegments()
    {
        var segments = _fs.ListFiles(options.WalDirectory).Select(WalSegment.TryParse).OfType<WalSegment>()
            .OrderBy(s => s.Sequence).ToList();
        if (segments.Count > 0 && segments[^1].Sequence > uint.MaxValue)
            throw new WalCorruptException($"wal {options.WalDirectory}: segment sequence {segments[^1].Sequence} is out of range");
        for (var i = 1; i < segments.Count; i++)
        {
            if (segments[i].Sequence != segments[i - 1].Sequence + 1)
                throw new WalCorruptException(
                    $"wal {options.WalDirectory}: segment {WalSegment.FileName(segments[i - 1].Sequence + 1)} is missing " +
                    $"(between {Path.GetFileName(segments[i - 1].Path)} and {Path.GetFileName(segments[i].Path)})");
        }
        return segments;
    }

    /// <summary>Replays the records of <paramref name="segment"/>; returns the offset where they end.</summary>
    private long ReplaySegment(WalSegment segment, LogReplay replay, bool isLast)
    {
        var bytes = _fs.ReadAllBytes(segment.Path);
        long offset = 0;
        while (true)
        {
            var status = WalFrame.TryRead(bytes, offset, out var record);
            if (status == FrameStatus.Ok)
            {
                segment.MaxEntryIndex = Math.Max(segment.MaxEntryIndex, replay.Apply(record, segment));
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
