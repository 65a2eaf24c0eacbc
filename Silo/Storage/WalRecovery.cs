using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>What recovery hands to the WAL: the rebuilt log and the segments, the last one open for appending.</summary>
public sealed record RecoveredWal(MemoryLogStorage Log, List<WalSegment> Segments);

/// <summary>
/// Opens a group's WAL directory: checks the segment sequence has no gap, replays every record, cuts a torn
/// tail off the last segment (logged) and refuses anything else that is damaged, naming file and offset.
/// </summary>
public sealed class WalRecovery(WalOptions options, SnapshotStore snapshots)
{
    private readonly IWalFileSystem _fs = options.FileSystem;

    public RecoveredWal Recover()
    {
        var segments = ListSegments();
        var replay = new LogReplay();
        for (var i = 0; i < segments.Count; i++) ReplaySegment(segments[i], replay, isLast: i == segments.Count - 1);
        var snapshot = snapshots.LoadNewest(f => replay.HasMarker(f.Index, f.Term)) ?? Snapshot.Empty;
        return new RecoveredWal(replay.Finish(snapshot, options.WalDirectory), segments);
    }

    private List<WalSegment> ListSegments()
    {
        var segments = _fs.ListFiles(options.WalDirectory).Select(WalSegment.TryParse).OfType<WalSegment>()
            .OrderBy(s => s.Sequence).ToList();
        for (var i = 1; i < segments.Count; i++)
        {
            if (segments[i].Sequence != segments[i - 1].Sequence + 1)
                throw new WalCorruptException(
                    $"wal {options.WalDirectory}: segment {WalSegment.FileName(segments[i - 1].Sequence + 1)} is missing " +
                    $"(between {Path.GetFileName(segments[i - 1].Path)} and {Path.GetFileName(segments[i].Path)})");
        }
        return segments;
    }

    private void ReplaySegment(WalSegment segment, LogReplay replay, bool isLast)
    {
        var bytes = _fs.ReadAllBytes(segment.Path);
        long offset = 0;
        while (true)
        {
            var status = WalFrame.TryRead(bytes, offset, out var record);
            if (status == FrameStatus.End) return;
            if (status == FrameStatus.Ok)
            {
                segment.MaxEntryIndex = Math.Max(segment.MaxEntryIndex, replay.Apply(record, segment.Path));
                offset += record.FrameLength;
                continue;
            }
            if (!isLast || !IsTornTail(bytes, offset, status))
                throw new WalCorruptException($"wal {segment.Path}: {Describe(status)} at offset {offset} (file is {bytes.Length} bytes)");
            CutTornTail(segment, offset, bytes.Length, status);
            return;
        }
    }

    /// <summary>A crash mid-write leaves a record that runs past the end of the file, or a complete-looking
    /// last record with a bad checksum followed by nothing but zeros (preallocated, never written).</summary>
    private static bool IsTornTail(byte[] bytes, long offset, FrameStatus status)
    {
        if (status == FrameStatus.Short) return true;
        var frameEnd = offset + WalFrame.HeaderSize + System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)offset));
        return bytes.AsSpan((int)frameEnd).IndexOfAnyExcept((byte)0) < 0;
    }

    private void CutTornTail(WalSegment segment, long offset, long length, FrameStatus status)
    {
        using (var file = _fs.OpenAppend(segment.Path)) file.Truncate(offset);
        options.Log?.Invoke($"wal {segment.Path}: cut torn tail at offset {offset} ({Describe(status)}, {length - offset} bytes dropped)");
    }

    private static string Describe(FrameStatus status) => status switch
    {
        FrameStatus.Short => "incomplete record",
        FrameStatus.BadChecksum => "checksum mismatch",
        _ => status.ToString(),
    };
}
