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

    public static void WriteEntries(ArrayBufferWriter<byte> output, IReadOnlyList<Entry> entries, int start)
    {
        var size = 4;
        for (var i = start; i < entries.Count; i++) size += EntryHeaderSize + entries[i].Data.Length;
        var payload = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var span = payload.AsSpan(0, size);
            BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)(entries.Count - start));
            var pos = 4;
            for (var i = start; i < entries.Count; i++) pos += WriteEntry(span[pos..], entries[i]);
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

    /// <summary>Decodes entries whose Data slices <paramref name="payload"/> (no copy).</summary>
    public static List<Entry> ReadEntries(ReadOnlyMemory<byte> payload)
    {
        var span = payload.Span;
        var count = (int)BinaryPrimitives.ReadUInt32LittleEndian(span);
        var entries = new List<Entry>(count);
        var pos = 4;
        for (var i = 0; i < count; i++)
        {
            var index = BinaryPrimitives.ReadUInt64LittleEndian(span[pos..]);
            var term = BinaryPrimitives.ReadUInt64LittleEndian(span[(pos + 8)..]);
            var type = (EntryType)span[pos + 16];
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 17)..]);
            entries.Add(new Entry(index, term, type, payload.Slice(pos + EntryHeaderSize, length)));
            pos += EntryHeaderSize + length;
        }
        if (pos != span.Length) throw new FormatException($"entries payload has {span.Length - pos} trailing bytes");
        return entries;
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
