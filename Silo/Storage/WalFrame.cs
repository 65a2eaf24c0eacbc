using Coordinator.Grains.Store;
using System.Buffers;
using System.Buffers.Binary;

namespace Coordinator.Silo.Storage;

/// <summary>What reading one frame found.</summary>
public enum FrameStatus
{
    Ok,
    /// <summary>No bytes left, or only zeros where the next header would be (never a valid header: a payload
    /// is never empty): the end of the data, followed by the unwritten part of a preallocated segment.</summary>
    End,
    /// <summary>Fewer bytes left than the header or the declared payload needs.</summary>
    Short,
    /// <summary>The frame is complete but its checksum does not match.</summary>
    BadChecksum,
}

/// <summary>
/// Record framing: payload length (u32 LE) | CRC-32C (u32 LE) | type (u8) | payload.
/// The checksum covers the length bytes, the type and the payload, so a torn or flipped length is caught too.
/// </summary>
public static class WalFrame
{
    public const int HeaderSize = 9;

    /// <summary>Upper bound on one payload; a larger declared length is treated as garbage.</summary>
    public const int MaxPayload = 1 << 30;

    public static void Write(IBufferWriter<byte> output, WalRecordType type, ReadOnlySpan<byte> payload)
    {
        var frame = output.GetSpan(HeaderSize + payload.Length)[..(HeaderSize + payload.Length)];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)payload.Length);
        frame[8] = (byte)type;
        payload.CopyTo(frame[HeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[4..], Checksum(frame));
        output.Advance(frame.Length);
    }

    /// <summary>Reads the frame at <paramref name="offset"/> of <paramref name="segment"/>.</summary>
    public static FrameStatus TryRead(ReadOnlyMemory<byte> segment, long offset, out WalRecord record)
    {
        record = default;
        var rest = segment.Span[(int)offset..];
        if (rest[..Math.Min(HeaderSize, rest.Length)].IndexOfAnyExcept((byte)0) < 0) return FrameStatus.End;
        if (rest.Length < HeaderSize) return FrameStatus.Short;
        var length = BinaryPrimitives.ReadUInt32LittleEndian(rest);
        if (length > MaxPayload || length > rest.Length - HeaderSize) return FrameStatus.Short;
        var frame = rest[..(HeaderSize + (int)length)];
        if (BinaryPrimitives.ReadUInt32LittleEndian(frame[4..]) != Checksum(frame)) return FrameStatus.BadChecksum;
        var payload = segment.Slice((int)offset + HeaderSize, (int)length);
        record = new WalRecord((WalRecordType)frame[8], payload, offset, frame.Length);
        return FrameStatus.Ok;
    }

    /// <summary>Covers the length (bytes 0-3) and type + payload (8..), skipping the CRC field itself.</summary>
    private static uint Checksum(ReadOnlySpan<byte> frame)
    {
        var crc = new Crc32C();
        crc.Append(frame[..4]);
        crc.Append(frame[8..]);
        return crc.Value;
    }
}
