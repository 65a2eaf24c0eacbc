using System.Buffers;
using System.Buffers.Binary;

namespace Coordinator.Silo.Transport;

/// <summary>Primitive writes of the peer wire format: LEB128 varints, raw bytes, big-endian fixed ints.</summary>
internal static class WireWriter
{
    public static void WriteVarUInt64(IBufferWriter<byte> output, ulong value)
    {
        var span = output.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        output.Advance(n);
    }

    public static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    /// <summary>Length (varint) followed by the bytes.</summary>
    public static void WriteLengthPrefixed(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        WriteVarUInt64(output, (ulong)bytes.Length);
        output.Write(bytes);
    }

    public static void WriteUInt32BigEndian(Span<byte> destination, uint value) =>
        BinaryPrimitives.WriteUInt32BigEndian(destination, value);
}
