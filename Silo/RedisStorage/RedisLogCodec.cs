using System.Buffers.Binary;
using System.Collections.Immutable;
using Coordinator.Grains.Raft;

namespace Coordinator.Silo.RedisStorage;

/// <summary>Byte layouts of what the replica keeps in Redis. An entry is term:u64 type:u8 data (its index is its
/// place in the list); a HardState is term, vote, commit (u64 each); snapshot metadata is index, term, chunk
/// count, data length, then the voters and learners (count + ids). Little-endian throughout.</summary>
internal static class RedisLogCodec
{
    public static byte[] EncodeEntry(Entry e)
    {
        var bytes = new byte[9 + e.Data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, e.Term);
        bytes[8] = (byte)e.Type;
        e.Data.Span.CopyTo(bytes.AsSpan(9));
        return bytes;
    }

    public static Entry DecodeEntry(ulong index, byte[] bytes)
    {
        if (bytes.Length < 9) throw new InvalidDataException($"entry {index} is damaged ({bytes.Length} bytes)");
        return new Entry(index, BinaryPrimitives.ReadUInt64LittleEndian(bytes), (EntryType)bytes[8], bytes.AsMemory(9));
    }

    public static byte[] EncodeHardState(HardState hs)
    {
        var bytes = new byte[24];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, hs.Term);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), hs.Vote);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), hs.Commit);
        return bytes;
    }

    public static HardState DecodeHardState(byte[]? bytes)
    {
        if (bytes is null || bytes.Length == 0) return HardState.Empty;
        if (bytes.Length != 24) throw new InvalidDataException("hard state is damaged");
        return new HardState(BinaryPrimitives.ReadUInt64LittleEndian(bytes), BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16)));
    }

    public static byte[] EncodeSnapshotMeta(SnapshotMetadata m, int chunks, int dataLength)
    {
        var ids = m.Membership.Voters.Count + m.Membership.Learners.Count;
        var bytes = new byte[8 + 8 + 4 + 4 + 4 + 4 + 8 * ids];
        var s = bytes.AsSpan();
        BinaryPrimitives.WriteUInt64LittleEndian(s, m.Index);
        BinaryPrimitives.WriteUInt64LittleEndian(s[8..], m.Term);
        BinaryPrimitives.WriteInt32LittleEndian(s[16..], chunks);
        BinaryPrimitives.WriteInt32LittleEndian(s[20..], dataLength);
        BinaryPrimitives.WriteInt32LittleEndian(s[24..], m.Membership.Voters.Count);
        BinaryPrimitives.WriteInt32LittleEndian(s[28..], m.Membership.Learners.Count);
        var at = 32;
        foreach (var id in m.Membership.Voters.Concat(m.Membership.Learners)) { BinaryPrimitives.WriteUInt64LittleEndian(s[at..], id); at += 8; }
        return bytes;
    }

    public static (SnapshotMetadata Metadata, int Chunks, int DataLength) DecodeSnapshotMeta(byte[]? bytes)
    {
        if (bytes is null || bytes.Length == 0) return (SnapshotMetadata.Empty, 0, 0);
        var s = bytes.AsSpan();
        if (s.Length < 32) throw new InvalidDataException("snapshot metadata is damaged");
        var voters = BinaryPrimitives.ReadInt32LittleEndian(s[24..]);
        var learners = BinaryPrimitives.ReadInt32LittleEndian(s[28..]);
        if (voters < 0 || learners < 0 || s.Length != 32 + 8L * (voters + learners)) throw new InvalidDataException("snapshot metadata is damaged");
        var ids = new ulong[voters + learners];
        for (var i = 0; i < ids.Length; i++) ids[i] = BinaryPrimitives.ReadUInt64LittleEndian(s[(32 + 8 * i)..]);
        var membership = new Membership(ids[..voters].ToImmutableSortedSet(), ids[voters..].ToImmutableSortedSet());
        var meta = new SnapshotMetadata(BinaryPrimitives.ReadUInt64LittleEndian(s), BinaryPrimitives.ReadUInt64LittleEndian(s[8..]), membership);
        return (meta, BinaryPrimitives.ReadInt32LittleEndian(s[16..]), BinaryPrimitives.ReadInt32LittleEndian(s[20..]));
    }
}
