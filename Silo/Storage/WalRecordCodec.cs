using System.Buffers;
using System.Buffers.Binary;
using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>
/// Payload layouts (all integers little-endian):
/// Entries: count u32, then per entry index u64 | term u64 | type u8 | length u32 | data.
/// HardState: term u64 | vote u64 | commit u64. SnapshotMarker: index u64 | term u64 | replacesLog u8.
/// </summary>
public static class WalRecordCodec
{
    private const int EntryHeaderSize = 21;
    private const int FirstEntryOffset = 4; // after the count

    /// <summary>What an entries payload says about one entry, without its data: where its header starts
    /// in the payload and how long its data is.</summary>
    public readonly record struct EntryHeader(ulong Index, ulong Term, int Offset, int DataLength);

    /// <summary>Writes entries[start..] as one record; <paramref name="entryOffsets"/>[i] receives the payload
    /// offset of entries[start + i], for <see cref="ReadEntryAt"/>.</summary>
    public static void WriteEntries(ArrayBufferWriter<byte> output, IReadOnlyList<Entry> entries, int start, Span<int> entryOffsets)
    {
        var size = FirstEntryOffset;
        for (var i = start; i < entries.Count; i++) size += EntryHeaderSize + entries[i].Data.Length;
        var payload = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var span = payload.AsSpan(0, size);
            BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)(entries.Count - start));
            var pos = FirstEntryOffset;
            for (var i = start; i < entries.Count; i++)
            {
                entryOffsets[i - start] = pos;
                pos += WriteEntry(span[pos..], entries[i]);
            }
            WalFrame.Write(output, WalRecordType.Entries, span);
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

    /// <summary>Replaces <paramref name="headers"/> with the headers of the entries in <paramref name="payload"/>;
    /// throws <see cref="FormatException"/> when the layout does not add up.</summary>
    public static void ScanEntries(ReadOnlySpan<byte> payload, List<EntryHeader> headers)
    {
        headers.Clear();
        var count = BinaryPrimitives.ReadUInt32LittleEndian(payload);
        var pos = FirstEntryOffset;
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

    /// <summary>Decodes the entry whose header starts at <paramref name="offset"/>; its Data slices
    /// <paramref name="payload"/> (no copy).</summary>
    public static Entry ReadEntryAt(ReadOnlyMemory<byte> payload, int offset)
    {
        var span = payload.Span;
        if (offset < FirstEntryOffset || span.Length - offset < EntryHeaderSize) throw new FormatException($"no entry header at payload offset {offset}");
        var length = BinaryPrimitives.ReadUInt32LittleEndian(span[(offset + 17)..]);
        if (length > (uint)(span.Length - offset - EntryHeaderSize)) throw new FormatException($"entry at payload offset {offset} runs past the payload");
        return new Entry(BinaryPrimitives.ReadUInt64LittleEndian(span[offset..]), BinaryPrimitives.ReadUInt64LittleEndian(span[(offset + 8)..]),
            (EntryType)span[offset + 16], payload.Slice(offset + EntryHeaderSize, (int)length));
    }

    public static void WriteHardState(ArrayBufferWriter<byte> output, HardState hs)
    {
        Span<byte> span = stackalloc byte[24];
        BinaryPrimitives.WriteUInt64LittleEndian(span, hs.Term);
        BinaryPrimitives.WriteUInt64LittleEndian(span[8..], hs.Vote);
        BinaryPrimitives.WriteUInt64LittleEndian(span[16..], hs.Commit);
        WalFrame.Write(output, WalRecordType.HardState, span);
    }

    public static HardState ReadHardState(ReadOnlySpan<byte> span)
    {
        if (span.Length != 24) throw new FormatException($"HardState payload is {span.Length} bytes, expected 24");
        return new HardState(BinaryPrimitives.ReadUInt64LittleEndian(span),
            BinaryPrimitives.ReadUInt64LittleEndian(span[8..]), BinaryPrimitives.ReadUInt64LittleEndian(span[16..]));
    }

    public static void WriteSnapshotMarker(ArrayBufferWriter<byte> output, SnapshotMarker marker)
    {
        Span<byte> span = stackalloc byte[17];
        BinaryPrimitives.WriteUInt64LittleEndian(span, marker.Index);
        BinaryPrimitives.WriteUInt64LittleEndian(span[8..], marker.Term);
        span[16] = marker.ReplacesLog ? (byte)1 : (byte)0;
        WalFrame.Write(output, WalRecordType.SnapshotMarker, span);
    }

    public static SnapshotMarker ReadSnapshotMarker(ReadOnlySpan<byte> span)
    {
        if (span.Length != 17) throw new FormatException($"snapshot marker payload is {span.Length} bytes, expected 17");
        return new SnapshotMarker(BinaryPrimitives.ReadUInt64LittleEndian(span),
            BinaryPrimitives.ReadUInt64LittleEndian(span[8..]), span[16] == 1);
    }
}
