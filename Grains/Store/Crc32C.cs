using System.Buffers.Binary;
using System.Numerics;

namespace Coordinator.Grains.Store;

/// <summary>CRC-32C (Castagnoli), as etcd uses for hashes; hardware-accelerated where available.</summary>
public struct Crc32C
{
    private uint _state = uint.MaxValue;

    public Crc32C() { }

    public void Append(ReadOnlySpan<byte> data)
    {
        var crc = _state;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        _state = crc;
    }

    public void Append(long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(buffer, value);
        Append(buffer);
    }

    public readonly uint Value => ~_state;

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = new Crc32C();
        crc.Append(data);
        return crc.Value;
    }
}
