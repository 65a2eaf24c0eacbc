using System.Buffers;
using System.Buffers.Binary;
using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>
/// Payload layouts (all integers little-endian). A group record's payload is group u64 | body; a record of
/// the single-group WAL of earlier versions is the body alone. Bodies:
/// Entries: count u32, then per entry index u64 | term u64 | type u8 | length u32 | data.
/// HardState: term u64 | vote u64 | commit u64. SnapshotMarker: index u64 | term u64 | replacesLog u8.
/// GroupRemoved: empty.
/// </summary>
public static class WalRecordCodec
{
    /// <summary>Bytes of the group id that starts a group record's payload.</summary>
    public const int GroupIdSize = 8;

    private const int EntryHeaderSize = 21;
    private const int CountSize = 4;

    /// <summary>What an entries payload says about one entry, without its data: where its header starts
    /// in the payload and how long its data is.</summary>
    public readonly record struct EntryHeader(ulong Index, ulong Term, int Offset, int DataLength);

    /// <summary>True for the record types that carry a group id.</summary>
    public static bool IsGroupRecord(WalRecordType type) => type is >= WalRecordType.GroupEntries and <= WalRecordType.GroupRemoved;

    /// <summary>The group id of a group record's payload.</summary>
    public static ulong ReadGroupId(ReadOnlySpan<byte> payload) =>
        payload.Length >= GroupIdSize ? BinaryPrimitives.ReadUInt64LittleEndian(payload)
            : throw new FormatException($"group record payload is {payload.Length} bytes, shorter than its group id");

    /// <summary>Writes entries[start..] of <paramref name="groupId"/> as one record; <paramref name="entryOffsets"/>[i]
    /// receives the payload offset of entries[start + i], for <see cref="ReadEntryAt"/>.</summary>
    public static void WriteEntries(ArrayBufferWriter<byte> output, ulong groupId, IReadOnlyList<Entry> entries, int start, Span<int> entryOffsets)
    {
        var size = GroupIdSize + CountSize;
        for (var i = start; i < entries.Count; i++) size += EntryHeaderSize + entries[i].Data.Length;
        var payload = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var span = payload.AsSpan(0, size);
            BinaryPrimitives.WriteUInt64LittleEndian(span, groupId);
            BinaryPrimitives.WriteUInt32LittleEndian(span[GroupIdSize..], (uint)(entries.Count - start));
            var pos = GroupIdSize + CountSize;
            for (var i = start; i < entries.Count; i++)
            {
                entryOffsets[i - start] = pos;
                pos += WriteEntry(span[pos..], entries[i]);
            }
            WalFrame.Write(output, WalRecordType.GroupEntries, span);
        }
        finally { ArrayPool<byte>.Shared.Return(payload); }
    }

    private static int WriteEntry(Span<byte> span, Entry e)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(span, e.Index);
        BinaryPrimitives.WriteUInt64LittleEndian(span[8..], e.Term);
        span[16] = (byte)e.Type;
        BinaryPrimitives.WriteUInt32LittleEndian(span[17..], (uint)e.Data.Length);
        e.Data.Span.CopyTo(span[EntryHeaderSize..]);
        return EntryHeaderSize + e.Data.Length;
    }

    /// <summary>Replaces <paramref name="headers"/> with the headers of the entries whose body starts at
    /// <paramref name="bodyOffset"/> of <paramref name="payload"/> (offsets are payload offsets); throws
    /// <see cref="FormatException"/> when the layout does not add up.</summary>
    public static void ScanEntries(ReadOnlySpan<byte> payload, int bodyOffset, List<EntryHeader> headers)
    {
        headers.Clear();
        if (payload.Length - bodyOffset < CountSize) throw new FormatException("entries payload has no count");
        var count = BinaryPrimitives.ReadUInt32LittleEndian(payload[bodyOffset..]);
        var pos = bodyOffset + CountSize;
        for (var i = 0u; i < count; i++)
        {
            if (payload.Length - pos < EntryHeaderSize) throw new FormatException($"entry {i} of {count} runs past the payload");
            var length = BinaryPrimitives.ReadUInt32LittleEndian(payload[(pos + 17)..]);
            if (length > (uint)(payload.Length - pos - EntryHeaderSize)) throw new FormatException($"entry {i} of {count} runs past the payload");
            headers.Add(new EntryHeader(BinaryPrimitives.ReadUInt64LittleEndian(payload[pos..]),
                BinaryPrimitives.ReadUInt64LittleEndian(payload[(pos + 8)..]), pos, (int)length));
            pos += EntryHeaderSize + (int)length;
        }
        if (pos != payload.Length) throw new FormatException($"entries payload has {payload.Length - pos} trailing bytes");
    }

    /// <summary>Decodes the entry whose header starts at payload <paramref name="offset"/>; its Data slices
    /// <paramref name="payload"/> (no copy).</summary>
    public static Entry ReadEntryAt(ReadOnlyMemory<byte> payload, int offset)
    {
        var span = payload.Span;
        if (offset < CountSize || span.Length - offset < EntryHeaderSize) throw new FormatException($"no entry header at payload offset {offset}");
        var length = BinaryPrimitives.ReadUInt32LittleEndian(span[(offset + 17)..]);
        if (length > (uint)(span.Length - offset - EntryHeaderSize)) throw new FormatException($"entry at payload offset {offset} runs past the payload");
        return new Entry(BinaryPrimitives.ReadUInt64LittleEndian(span[offset..]), BinaryPrimitives.ReadUInt64LittleEndian(span[(offset + 8)..]),
            (EntryType)span[offset + 16], payload.Slice(offset + EntryHeaderSize, (int)length));
    }

    public static void WriteHardState(ArrayBufferWriter<byte> output, ulong groupId, HardState hs)
    {
        Span<byte> span = stackalloc byte[GroupIdSize + 24];
        BinaryPrimitives.WriteUInt64LittleEndian(span, groupId);
        BinaryPrimitives.WriteUInt64LittleEndian(span[8..], hs.Term);
        BinaryPrimitives.WriteUInt64LittleEndian(span[16..], hs.Vote);
        BinaryPrimitives.WriteUInt64LittleEndian(span[24..], hs.Commit);
        WalFrame.Write(output, WalRecordType.GroupHardState, span);
    }

    /// <summary>Decodes a HardState body.</summary>
    public static HardState ReadHardState(ReadOnlySpan<byte> body)
    {
        if (body.Length != 24) throw new FormatException($"HardState payload is {body.Length} bytes, expected 24");
        return new HardState(BinaryPrimitives.ReadUInt64LittleEndian(body),
            BinaryPrimitives.ReadUInt64LittleEndian(body[8..]), BinaryPrimitives.ReadUInt64LittleEndian(body[16..]));
    }

    public static void WriteSnapshotMarker(ArrayBufferWriter<byte> output, ulong groupId, SnapshotMarker marker)
    {
        Span<byte> span = stackalloc byte[GroupIdSize + 17];
        BinaryPrimitives.WriteUInt64LittleEndian(span, groupId);
        BinaryPrimitives.WriteUInt64LittleEndian(span[8..], marker.Index);
        BinaryPrimitives.WriteUInt64LittleEndian(span[16..], marker.Term);
        span[24] = marker.ReplacesLog ? (byte)1 : (byte)0;
        WalFrame.Write(output, WalRecordType.GroupSnapshotMarker, span);
    }

    /// <summary>Decodes a snapshot marker body.</summary>
    public static SnapshotMarker ReadSnapshotMarker(ReadOnlySpan<byte> body)
    {
        if (body.Length != 17) throw new FormatException($"snapshot marker payload is {body.Length} bytes, expected 17");
        return new SnapshotMarker(BinaryPrimitives.ReadUInt64LittleEndian(body),
            BinaryPrimitives.ReadUInt64LittleEndian(body[8..]), body[16] == 1);
    }

    public static void WriteGroupRemoved(ArrayBufferWriter<byte> output, ulong groupId)
    {
        Span<byte> span = stackalloc byte[GroupIdSize];
        BinaryPrimitives.WriteUInt64LittleEndian(span, groupId);
        WalFrame.Write(output, WalRecordType.GroupRemoved, span);
    }
}
