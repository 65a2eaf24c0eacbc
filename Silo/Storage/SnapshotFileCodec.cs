using Coordinator.Grains.Store;
using System.Buffers.Binary;
using System.Collections.Immutable;
using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>
/// Snapshot file layout (little-endian): CRC-32C of the rest (u32) | magic "CSN1" | index u64 | term u64 |
/// voter count u32 | voters u64* | learner count u32 | learners u64* | data length u64 | data.
/// </summary>
public static class SnapshotFileCodec
{
    private const uint Magic = 0x314E5343; // "CSN1"

    public static byte[] Encode(Snapshot snapshot)
    {
        var header = EncodeHeader(snapshot.Metadata, snapshot.Data.Length);
        var bytes = new byte[header.Length + snapshot.Data.Length];
        header.CopyTo(bytes, 0);
        snapshot.Data.Span.CopyTo(bytes.AsSpan(header.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Crc32C.Compute(bytes.AsSpan(4)));
        return bytes;
    }

    /// <summary>Everything before the data, with the leading CRC left zero: a streaming writer appends the
    /// data after it, folding header[4..] and the data into the CRC, then writes the CRC at offset 0.</summary>
    public static byte[] EncodeHeader(SnapshotMetadata meta, long dataLength)
    {
        var size = 4 + 4 + 16 + 4 + 8 * meta.Membership.Voters.Count + 4 + 8 * meta.Membership.Learners.Count + 8;
        var bytes = new byte[size];
        var span = bytes.AsSpan(4);
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt64LittleEndian(span[4..], meta.Index);
        BinaryPrimitives.WriteUInt64LittleEndian(span[12..], meta.Term);
        var pos = 20;
        pos += WriteIds(span[pos..], meta.Membership.Voters);
        pos += WriteIds(span[pos..], meta.Membership.Learners);
        BinaryPrimitives.WriteUInt64LittleEndian(span[pos..], (ulong)dataLength);
        return bytes;
    }

    /// <summary>Decodes <paramref name="bytes"/>; throws <see cref="WalCorruptException"/> naming
    /// <paramref name="path"/> when the checksum or layout is wrong.</summary>
    public static Snapshot Decode(byte[] bytes, string path)
    {
        if (bytes.Length < 8 || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Crc32C.Compute(bytes.AsSpan(4)))
            throw new WalCorruptException($"snapshot {path}: checksum mismatch at offset 0 ({bytes.Length} bytes)");
        try
        {
            var span = bytes.AsSpan(4);
            if (BinaryPrimitives.ReadUInt32LittleEndian(span) != Magic) throw new FormatException("bad magic");
            var index = BinaryPrimitives.ReadUInt64LittleEndian(span[4..]);
            var term = BinaryPrimitives.ReadUInt64LittleEndian(span[12..]);
            var pos = 20;
            var voters = ReadIds(span, ref pos);
            var learners = ReadIds(span, ref pos);
            var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(span[pos..]);
            var data = bytes.AsMemory(4 + pos + 8, length);
            return new Snapshot(new SnapshotMetadata(index, term, new Membership(voters, learners)), data);
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            throw new WalCorruptException($"snapshot {path}: malformed ({e.Message})");
        }
    }

    private static int WriteIds(Span<byte> span, ImmutableSortedSet<ulong> ids)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)ids.Count);
        var pos = 4;
        foreach (var id in ids) { BinaryPrimitives.WriteUInt64LittleEndian(span[pos..], id); pos += 8; }
        return pos;
    }

    private static ImmutableSortedSet<ulong> ReadIds(ReadOnlySpan<byte> span, ref int pos)
    {
        var count = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[pos..]);
        pos += 4;
        var ids = ImmutableSortedSet.CreateBuilder<ulong>();
        for (var i = 0; i < count; i++, pos += 8) ids.Add(BinaryPrimitives.ReadUInt64LittleEndian(span[pos..]));
        return ids.ToImmutable();
    }
}
