namespace Coordinator.Silo.Transport;

/// <summary>
/// Bounds-checked reads over one buffer. Every length or count read from the wire is checked against the bytes
/// that remain before anything is allocated, so a corrupt length fails fast instead of allocating gigabytes.
/// </summary>
internal ref struct WireReader(ReadOnlySpan<byte> buffer)
{
    private readonly ReadOnlySpan<byte> _buffer = buffer;
    private int _position;

    public int Position => _position;
    public int Remaining => _buffer.Length - _position;

    public byte ReadByte()
    {
        if (_position >= _buffer.Length) throw Truncated("a byte");
        return _buffer[_position++];
    }

    public ulong ReadVarUInt64()
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _buffer.Length) throw Truncated("a varint");
            var b = _buffer[_position++];
            // The 10th byte may carry only the top bit of a 64-bit value.
            if (shift == 63 && b > 1) throw Malformed("varint overflows 64 bits");
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return result;
        }
        throw Malformed("varint longer than 10 bytes");
    }

    /// <summary>A count of items that each take at least <paramref name="minBytesPerItem"/> bytes.</summary>
    public int ReadCount(int minBytesPerItem, string what)
    {
        var count = ReadVarUInt64();
        if (count > (ulong)(Remaining / minBytesPerItem))
            throw Malformed($"{what} count {count} exceeds the {Remaining} bytes left");
        return (int)count;
    }

    /// <summary>A varint length followed by that many bytes; the result is a copy the caller owns.</summary>
    public byte[] ReadLengthPrefixedCopy(string what)
    {
        var length = ReadVarUInt64();
        if (length > (ulong)Remaining)
            throw Malformed($"{what} length {length} exceeds the {Remaining} bytes left");
        var bytes = _buffer.Slice(_position, (int)length).ToArray();
        _position += (int)length;
        return bytes;
    }

    public RaftMessageFormatException Truncated(string what) =>
        new($"truncated input: expected {what} at offset {_position} of {_buffer.Length}");

    public RaftMessageFormatException Malformed(string reason) =>
        new($"malformed input at offset {_position}: {reason}");
}
