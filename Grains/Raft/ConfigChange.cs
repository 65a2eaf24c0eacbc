using System.Buffers.Binary;

namespace Coordinator.Grains.Raft;

public enum ConfigChangeType : byte
{
    AddVoter = 0,
    AddLearner = 1,
    PromoteLearner = 2,
    RemoveMember = 3,
}

/// <summary>
/// A single-member change. Only one may be pending at a time, so consecutive memberships differ by one
/// voter at most and any two majorities overlap. <see cref="Context"/> is host data (e.g. the member's
/// peer URLs) carried through the log untouched.
/// </summary>
public sealed record ConfigChange(ConfigChangeType Type, ulong NodeId, ReadOnlyMemory<byte> Context)
{
    public ConfigChange(ConfigChangeType type, ulong nodeId) : this(type, nodeId, ReadOnlyMemory<byte>.Empty) { }

    /// <summary>Layout: type (1 byte) + node id (8 bytes, little-endian) + context.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[9 + Context.Length];
        bytes[0] = (byte)Type;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(1), NodeId);
        Context.Span.CopyTo(bytes.AsSpan(9));
        return bytes;
    }

    public static ConfigChange Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < 9 || data[0] > (byte)ConfigChangeType.RemoveMember)
            throw new FormatException($"malformed config change ({data.Length} bytes)");
        return new((ConfigChangeType)data[0], BinaryPrimitives.ReadUInt64LittleEndian(data[1..]), data[9..].ToArray());
    }

    public override string ToString() => $"{Type} {NodeId}";
}
