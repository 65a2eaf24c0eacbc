using System.Buffers.Binary;

namespace Coordinator.Grains.Store;

/// <summary>
/// The framing of an optional section at the end of a state-machine snapshot: 4-byte magic, u32 format version,
/// i32 body length, body, u32 CRC-32C of the body. A snapshot written before the section existed ends before it.
/// </summary>
public static class SnapshotSection
{
    public static byte[] Encode(ReadOnlySpan<byte> magic, uint version, ReadOnlySpan<byte> body)
    {
        var bytes = new byte[12 + body.Length + 4];
        magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), version);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), body.Length);
        body.CopyTo(bytes.AsSpan(12));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12 + body.Length), Crc32C.Compute(body));
        return bytes;
    }

    /// <summary>The body of the section at the stream's position; null when the stream ends there. Throws
    /// <see cref="InvalidDataException"/> naming <paramref name="what"/> when the section is damaged.</summary>
    public static byte[]? Read(Stream source, ReadOnlySpan<byte> magic, uint version, string what)
    {
        Span<byte> header = stackalloc byte[12];
        var n = source.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (n == 0) return null;
        if (n < header.Length || !header[..4].SequenceEqual(magic)) throw new InvalidDataException($"not a {what} snapshot section");
        var found = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (found != version) throw new InvalidDataException($"unsupported {what} snapshot version {found}");
        var length = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        if (length < 0) throw new InvalidDataException($"bad {what} snapshot length");
        var body = new byte[length];
        Span<byte> crc = stackalloc byte[4];
        try
        {
            source.ReadExactly(body);
            source.ReadExactly(crc);
        }
        catch (EndOfStreamException e) { throw new InvalidDataException($"{what} snapshot is truncated", e); }
        if (BinaryPrimitives.ReadUInt32LittleEndian(crc) != Crc32C.Compute(body)) throw new InvalidDataException($"{what} snapshot checksum mismatch");
        return body;
    }
}
