using System.Buffers.Binary;
using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Raft.Harness;

/// <summary>The test state machine's snapshot format: its applied entries, length-prefixed.</summary>
internal static class SnapshotCodec
{
    public static byte[] Encode(IEnumerable<Entry> entries)
    {
        using var ms = new MemoryStream();
        Span<byte> header = stackalloc byte[21];
        foreach (var e in entries)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(header, e.Index);
            BinaryPrimitives.WriteUInt64LittleEndian(header[8..], e.Term);
            header[16] = (byte)e.Type;
            BinaryPrimitives.WriteInt32LittleEndian(header[17..], e.Data.Length);
            ms.Write(header);
            ms.Write(e.Data.Span);
        }
        return ms.ToArray();
    }

    public static List<Entry> Decode(ReadOnlySpan<byte> data)
    {
        var result = new List<Entry>();
        while (!data.IsEmpty)
        {
            var index = BinaryPrimitives.ReadUInt64LittleEndian(data);
            var term = BinaryPrimitives.ReadUInt64LittleEndian(data[8..]);
            var type = (EntryType)data[16];
            var len = BinaryPrimitives.ReadInt32LittleEndian(data[17..]);
            result.Add(new Entry(index, term, type, data.Slice(21, len).ToArray()));
            data = data[(21 + len)..];
        }
        return result;
    }
}
