using System.Buffers;
using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>
/// Reads entries that are no longer cached back from the segment files they were written to. Each entries
/// record is checked (frame checksum, length, group, the entry's index and term) before an entry is returned:
/// damage is a <see cref="WalCorruptException"/> naming file and offset, never wrong data.
/// Only positions already written and fsynced are read, so this may run beside the writer loop.
/// </summary>
/// <param name="legacy">The segments of the single-group WAL of earlier versions this log starts with, if any:
/// their directory and the last of their sequences.</param>
internal sealed class EntryReader(IWalFileSystem fs, string walDirectory, (string Directory, ulong LastSequence)? legacy)
{
    /// <summary>Nearby records in one segment are fetched with one read if the bytes between them
    /// (other records) are at most this many.</summary>
    private const int MaxGap = 64 * 1024;

    /// <summary>A read is not extended past this many bytes to cover more records (one record may be larger).</summary>
    private const int MaxRead = 4 << 20;

    /// <summary>Appends entries [lo, end) of <paramref name="groupId"/> at <paramref name="locations"/> to
    /// <paramref name="into"/>. Each entry gets a copy of its data, so one kept entry does not pin a whole read buffer.</summary>
    public void Read(ulong groupId, IndexedRun<EntryLocation> locations, ulong lo, ulong end, List<Entry> into)
    {
        var i = lo;
        while (i < end)
        {
            var first = locations[i];
            var start = first.RecordOffset;
            var stop = start + first.RecordLength;
            var j = i + 1;
            for (; j < end; j++)
            {
                var next = locations[j];
                if (next.Segment != first.Segment || next.RecordOffset < start || next.RecordOffset > stop + MaxGap) break;
                var nextStop = Math.Max(stop, next.RecordOffset + next.RecordLength);
                // The read limit stops it from taking in more records, never from using the one already read:
                // entries of one record (a catching-up follower writes thousands in one) share one read.
                if (nextStop > stop && nextStop - start > MaxRead) break;
                stop = nextStop;
            }
            var isLegacy = legacy is { } l && first.Segment <= l.LastSequence;
            var path = Path.Combine(isLegacy ? legacy!.Value.Directory : walDirectory, WalSegment.FileName(first.Segment));
            var length = (int)(stop - start);
            var bytes = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                ReadRange(path, start, bytes.AsSpan(0, length));
                var recordOffset = -1L;
                WalRecord record = default;
                for (var k = i; k < j; k++)
                {
                    var location = locations[k];
                    if (location.RecordOffset != recordOffset)
                    {
                        record = ReadRecord(bytes, start, location, k, path, isLegacy ? null : groupId);
                        recordOffset = location.RecordOffset;
                    }
                    into.Add(ReadEntry(record, location, k, path));
                }
            }
            finally { ArrayPool<byte>.Shared.Return(bytes); }
            i = j;
        }
    }

    private void ReadRange(string path, long offset, Span<byte> destination)
    {
        int read;
        try { read = fs.ReadAt(path, offset, destination); }
        catch (FileNotFoundException) { throw new WalCorruptException($"wal {path}: segment file is missing (reading entries at offset {offset})"); }
        if (read < destination.Length)
            throw new WalCorruptException($"wal {path}: file ends at {offset + read}, before the entries records at {offset}..{offset + destination.Length} do");
    }

    /// <param name="groupId">The group the record must carry; null for a segment of the single-group WAL
    /// (its records carry none).</param>
    private static WalRecord ReadRecord(byte[] bytes, long bytesOffset, EntryLocation location, ulong index, string path, ulong? groupId)
    {
        var status = WalFrame.TryRead(bytes.AsMemory(0, (int)(location.RecordOffset - bytesOffset + location.RecordLength)),
            location.RecordOffset - bytesOffset, out var record);
        var expected = groupId is null ? WalRecordType.Entries : WalRecordType.GroupEntries;
        if (status != FrameStatus.Ok || record.FrameLength != location.RecordLength || record.Type != expected)
            throw new WalCorruptException(
                $"wal {path}: entries record at offset {location.RecordOffset} is damaged ({Describe(status, record)}) reading back entry {index}");
        if (groupId is { } id && (record.Payload.Length < WalRecordCodec.GroupIdSize || WalRecordCodec.ReadGroupId(record.Payload.Span) != id))
            throw new WalCorruptException(
                $"wal {path}: entries record at offset {location.RecordOffset} is not of group {id} reading back entry {index}");
        return record;
    }

    private static Entry ReadEntry(WalRecord record, EntryLocation location, ulong index, string path)
    {
        Entry entry;
        try { entry = WalRecordCodec.ReadEntryAt(record.Payload, location.EntryOffset); }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
        {
            throw new WalCorruptException($"wal {path}: malformed entries record at offset {location.RecordOffset}: {e.Message}");
        }
        if (entry.Index != index || entry.Term != location.Term || entry.Data.Length != location.DataLength)
            throw new WalCorruptException(
                $"wal {path}: entries record at offset {location.RecordOffset} holds {entry.Term}/{entry.Index} where {location.Term}/{index} was written");
        return new Entry(entry.Index, entry.Term, entry.Type, entry.Data.ToArray());
    }

    private static string Describe(FrameStatus status, WalRecord record) => status switch
    {
        FrameStatus.Ok => $"a {record.Type} record of {record.FrameLength} bytes",
        FrameStatus.BadChecksum => "checksum mismatch",
        FrameStatus.Short => "incomplete record",
        _ => status.ToString(),
    };
}
