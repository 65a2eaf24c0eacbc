using System.Buffers.Binary;
using System.Text;

namespace Coordinator.Grains.Store;

/// <summary>
/// Binary snapshot of a <see cref="KvStore"/>, little-endian:
/// "CSNP", u32 format version, i64 current revision, i64 compact revision, u64 applied index,
/// i32 lease count × (i64 id, i64 ttl, i64 remaining ttl),
/// i32 key count × (i32 key length, key, i32 record count × (i64 main, i32 sub, i64 create, i64 version,
/// i64 lease, i32 value length or -1 for a tombstone, value)),
/// (since version 2) the request session table (<see cref="RequestSessionTable{TResult}.WriteTo"/>),
/// then u32 CRC-32C of everything before it. Lease attachments are rebuilt from the live records.
/// Version 1 snapshots (no session table) are still read.
/// </summary>
public static class StoreSnapshot
{
    public const uint FormatVersion = 2;
    private static ReadOnlySpan<byte> Magic => "CSNP"u8;

    internal static void Write(Stream destination, StoreSnapshotImage image)
    {
        var crcStream = new CrcStream(destination);
        using (var writer = new BinaryWriter(new BufferedStream(crcStream, 64 * 1024), Encoding.UTF8, leaveOpen: false))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(image.CurrentRevision);
            writer.Write(image.CompactRevision);
            writer.Write(image.AppliedIndex);
            writer.Write(image.Leases.Length);
            foreach (var (id, ttl, remaining) in image.Leases)
            {
                writer.Write(id);
                writer.Write(ttl);
                writer.Write(remaining);
            }
            writer.Write(image.Keys.Length);
            for (var k = 0; k < image.Keys.Length; k++)
            {
                writer.Write(image.Keys[k].Length);
                writer.Write(image.Keys[k]);
                writer.Write(image.RecordStarts[k + 1] - image.RecordStarts[k]);
                for (var r = image.RecordStarts[k]; r < image.RecordStarts[k + 1]; r++)
                {
                    ref readonly var record = ref image.Records[r];
                    writer.Write(record.Main);
                    writer.Write(record.Sub);
                    writer.Write(record.CreateRevision);
                    writer.Write(record.Version);
                    writer.Write(record.Lease);
                    writer.Write(record.IsTombstone ? -1 : record.Value.Length);
                    writer.Write(image.Values.Span(record.Value));
                }
            }
            writer.Write(image.SessionBytes);
        }
        Span<byte> trailer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, crcStream.Crc);
        destination.Write(trailer);
    }

    /// <summary>Bytes <see cref="Write"/> produces for <paramref name="image"/>.</summary>
    internal static long EncodedLength(StoreSnapshotImage image)
    {
        const int header = 4 + 4 + 8 + 8 + 8 + 4, lease = 24, recordFixed = 8 + 4 + 8 + 8 + 8 + 4, trailer = 4;
        long length = header + (long)lease * image.Leases.Length + 4 + image.SessionBytes.Length + trailer;
        for (var k = 0; k < image.Keys.Length; k++) length += 4 + image.Keys[k].Length + 4;
        foreach (ref readonly var record in image.Records.AsSpan())
            length += recordFixed + record.Value.Length;
        return length;
    }

    internal sealed record Contents(long CurrentRevision, long CompactRevision, ulong AppliedIndex, LeaseTable Leases,
        KeyIndex Index, ValueArena Values, RequestSessionTable<RecordedOutcome> Sessions);

    /// <summary>Parses and verifies a snapshot; throws <see cref="InvalidDataException"/> if it is damaged.</summary>
    internal static Contents Read(Stream source)
    {
        var crcStream = new CrcStream(source);
        using var reader = new BinaryReader(crcStream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (!reader.ReadBytes(4).AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("not a store snapshot");
            var version = reader.ReadUInt32();
            if (version is < 1 or > FormatVersion) throw new InvalidDataException($"unsupported store snapshot version {version}");
            var currentRevision = reader.ReadInt64();
            var compactRevision = reader.ReadInt64();
            var appliedIndex = reader.ReadUInt64();

            var leases = new LeaseTable();
            var leaseCount = ReadCount(reader);
            for (var i = 0; i < leaseCount; i++)
            {
                var id = reader.ReadInt64();
                var ttl = reader.ReadInt64();
                leases.Add(id, ttl).RemainingTtl = reader.ReadInt64();
            }

            var values = new ValueArena();
            var keyCount = ReadCount(reader);
            var histories = new List<KeyHistory>(keyCount);
            for (var i = 0; i < keyCount; i++)
            {
                var history = new KeyHistory(ReadExactly(reader, ReadCount(reader)));
                var records = new KeyRecord[ReadCount(reader)];
                for (var r = 0; r < records.Length; r++)
                {
                    records[r] = new KeyRecord
                    {
                        Main = reader.ReadInt64(),
                        Sub = reader.ReadInt32(),
                        CreateRevision = reader.ReadInt64(),
                        Version = reader.ReadInt64(),
                        Lease = reader.ReadInt64(),
                    };
                    var length = reader.ReadInt32();
                    if (length < -1) throw new InvalidDataException("bad value length");
                    if (length > 0)
                    {
                        records[r].Value = values.Allocate(length, out var space);
                        reader.BaseStream.ReadExactly(space); // BinaryReader keeps no read-ahead of its own
                    }
                }
                history.Load(records);
                if (histories.Count > 0 && ByteKeyComparer.CompareKeys(histories[^1].Key, history.Key) >= 0)
                    throw new InvalidDataException("keys out of order");
                histories.Add(history);
                if (history.IsLive && history.Latest.Lease != 0)
                {
                    if (!leases.Contains(history.Latest.Lease)) throw new InvalidDataException("key attached to a missing lease");
                    leases.Attach(history.Latest.Lease, history.Key);
                }
            }

            var sessions = version >= 2
                ? RequestSessionTable<RecordedOutcome>.ReadFrom(reader, RecordedOutcome.ReadFrom)
                : new RequestSessionTable<RecordedOutcome>();

            var computed = crcStream.Crc;
            Span<byte> trailer = stackalloc byte[4];
            source.ReadExactly(trailer);
            if (BinaryPrimitives.ReadUInt32LittleEndian(trailer) != computed) throw new InvalidDataException("store snapshot checksum mismatch");

            var index = new KeyIndex();
            index.Load(histories);
            return new Contents(currentRevision, compactRevision, appliedIndex, leases, index, values, sessions);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("store snapshot is truncated", e);
        }
    }

    private static int ReadCount(BinaryReader reader)
    {
        var n = reader.ReadInt32();
        if (n < 0) throw new InvalidDataException("negative count");
        return n;
    }

    private static byte[] ReadExactly(BinaryReader reader, int length)
    {
        var bytes = reader.ReadBytes(length);
        if (bytes.Length != length) throw new EndOfStreamException();
        return bytes;
    }
}
