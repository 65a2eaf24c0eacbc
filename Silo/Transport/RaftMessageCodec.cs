using System.Buffers;
using System.Collections.Immutable;
using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Transport;

/// <summary>
/// Compact binary encoding of one Raft <see cref="Message"/>:
/// <code>
/// version:u8  type:u8  flags:u8  group from to term logTerm index commit rejectHint context  (varints)
/// entryCount:varint  { index:varint term:varint type:u8 dataLength:varint data }*
/// [snapshot, when flags has HasSnapshot]
///   index:varint term:varint voterCount:varint voter:varint* learnerCount:varint learner:varint*
///   dataLength:varint data
/// </code>
/// The encoding is self-delimiting, so messages can be concatenated in a batch (see <see cref="MessageBatchCodec"/>).
/// Decoding copies every payload: decoded messages never alias the input buffer.
/// </summary>
public static class RaftMessageCodec
{
    public const byte FormatVersion = 1;

    [Flags]
    private enum MessageFlags : byte
    {
        None = 0,
        Reject = 1,
        LeaderTransfer = 2,
        HasSnapshot = 4,
        Quiesce = 8,
        All = Reject | LeaderTransfer | HasSnapshot | Quiesce,
    }

    // Smallest possible entry encoding, used to bound the entry count read from the wire before allocating.
    private const int MinEntryBytes = 4;     // index, term, type, dataLength

    public static byte[] Encode(Message message)
    {
        var bytes = new byte[GetEncodedSize(message)];
        var output = new FixedBufferWriter(bytes);
        Encode(message, output);
        return bytes;
    }

    public static void Encode(Message message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(message);
        var flags = MessageFlags.None;
        if (message.Reject) flags |= MessageFlags.Reject;
        if (message.LeaderTransfer) flags |= MessageFlags.LeaderTransfer;
        if (message.Quiesce) flags |= MessageFlags.Quiesce;
        if (message.Snapshot is not null) flags |= MessageFlags.HasSnapshot;

        WireWriter.WriteByte(output, FormatVersion);
        WireWriter.WriteByte(output, (byte)message.Type);
        WireWriter.WriteByte(output, (byte)flags);
        WireWriter.WriteVarUInt64(output, message.Group);
        WireWriter.WriteVarUInt64(output, message.From);
        WireWriter.WriteVarUInt64(output, message.To);
        WireWriter.WriteVarUInt64(output, message.Term);
        WireWriter.WriteVarUInt64(output, message.LogTerm);
        WireWriter.WriteVarUInt64(output, message.Index);
        WireWriter.WriteVarUInt64(output, message.Commit);
        WireWriter.WriteVarUInt64(output, message.RejectHint);
        WireWriter.WriteVarUInt64(output, message.Context);

        var entries = message.Entries;
        WireWriter.WriteVarUInt64(output, (ulong)entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            WireWriter.WriteVarUInt64(output, entry.Index);
            WireWriter.WriteVarUInt64(output, entry.Term);
            WireWriter.WriteByte(output, (byte)entry.Type);
            WireWriter.WriteLengthPrefixed(output, entry.Data.Span);
        }

        if (message.Snapshot is { } snapshot)
        {
            var metadata = snapshot.Metadata;
            WireWriter.WriteVarUInt64(output, metadata.Index);
            WireWriter.WriteVarUInt64(output, metadata.Term);
            WriteIds(output, metadata.Membership.Voters);
            WriteIds(output, metadata.Membership.Learners);
            WireWriter.WriteLengthPrefixed(output, snapshot.Data.Span);
        }
    }

    /// <summary>Decodes exactly one message; trailing bytes are an error.</summary>
    public static Message Decode(ReadOnlySpan<byte> data)
    {
        var reader = new WireReader(data);
        var message = Read(ref reader);
        if (reader.Remaining != 0) throw reader.Malformed($"{reader.Remaining} trailing bytes after the message");
        return message;
    }

    /// <summary>Exact number of bytes <see cref="Encode(Message, IBufferWriter{byte})"/> writes.</summary>
    public static long GetEncodedSize(Message message)
    {
        long size = 3 + VarSize(message.Group) + VarSize(message.From) + VarSize(message.To) + VarSize(message.Term) +
                    VarSize(message.LogTerm) + VarSize(message.Index) + VarSize(message.Commit) +
                    VarSize(message.RejectHint) + VarSize(message.Context) + VarSize((ulong)message.Entries.Count);
        foreach (var entry in message.Entries)
            size += VarSize(entry.Index) + VarSize(entry.Term) + 1 + VarSize((ulong)entry.Data.Length) + entry.Data.Length;
        if (message.Snapshot is { } snapshot)
        {
            var membership = snapshot.Metadata.Membership;
            size += VarSize(snapshot.Metadata.Index) + VarSize(snapshot.Metadata.Term) +
                    VarSize((ulong)membership.Voters.Count) + VarSize((ulong)membership.Learners.Count) +
                    VarSize((ulong)snapshot.Data.Length) + snapshot.Data.Length;
            foreach (var id in membership.Voters) size += VarSize(id);
            foreach (var id in membership.Learners) size += VarSize(id);
        }
        return size;
    }

    private static int VarSize(ulong value) => value == 0 ? 1 : (64 - System.Numerics.BitOperations.LeadingZeroCount(value) + 6) / 7;

    internal static Message Read(ref WireReader reader)
    {
        var version = reader.ReadByte();
        if (version != FormatVersion) throw reader.Malformed($"unknown format version {version}");
        var type = reader.ReadByte();
        if (type > (byte)MessageType.ReadIndexResponse) throw reader.Malformed($"unknown message type {type}");
        var flags = (MessageFlags)reader.ReadByte();
        if ((flags & ~MessageFlags.All) != 0) throw reader.Malformed($"unknown flags 0x{(byte)flags:x2}");

        var group = reader.ReadVarUInt64();
        var from = reader.ReadVarUInt64();
        var to = reader.ReadVarUInt64();
        var term = reader.ReadVarUInt64();
        var logTerm = reader.ReadVarUInt64();
        var index = reader.ReadVarUInt64();
        var commit = reader.ReadVarUInt64();
        var rejectHint = reader.ReadVarUInt64();
        var context = reader.ReadVarUInt64();

        var entryCount = reader.ReadCount(MinEntryBytes, "entry");
        var entries = entryCount == 0 ? Array.Empty<Entry>() : new Entry[entryCount];
        for (var i = 0; i < entryCount; i++)
        {
            var entryIndex = reader.ReadVarUInt64();
            var entryTerm = reader.ReadVarUInt64();
            var entryType = reader.ReadByte();
            if (entryType > (byte)EntryType.ConfigChange) throw reader.Malformed($"unknown entry type {entryType}");
            var entryData = reader.ReadLengthPrefixedCopy("entry data");
            entries[i] = new Entry(entryIndex, entryTerm, (EntryType)entryType, entryData);
        }

        Snapshot? snapshot = null;
        if ((flags & MessageFlags.HasSnapshot) != 0)
        {
            var snapshotIndex = reader.ReadVarUInt64();
            var snapshotTerm = reader.ReadVarUInt64();
            var voters = ReadIds(ref reader, "voter");
            var learners = ReadIds(ref reader, "learner");
            var snapshotData = reader.ReadLengthPrefixedCopy("snapshot data");
            snapshot = new Snapshot(
                new SnapshotMetadata(snapshotIndex, snapshotTerm, new Membership(voters, learners)), snapshotData);
        }

        return new Message
        {
            Group = group, Type = (MessageType)type, From = from, To = to, Term = term, LogTerm = logTerm,
            Index = index, Entries = entries, Commit = commit, Reject = (flags & MessageFlags.Reject) != 0,
            RejectHint = rejectHint, Snapshot = snapshot, Context = context,
            LeaderTransfer = (flags & MessageFlags.LeaderTransfer) != 0,
            Quiesce = (flags & MessageFlags.Quiesce) != 0,
        };
    }

    private static void WriteIds(IBufferWriter<byte> output, ImmutableSortedSet<ulong> ids)
    {
        WireWriter.WriteVarUInt64(output, (ulong)ids.Count);
        foreach (var id in ids) WireWriter.WriteVarUInt64(output, id);
    }

    private static ImmutableSortedSet<ulong> ReadIds(ref WireReader reader, string what)
    {
        var count = reader.ReadCount(1, what);
        var builder = ImmutableSortedSet.CreateBuilder<ulong>();
        for (var i = 0; i < count; i++)
        {
            if (!builder.Add(reader.ReadVarUInt64())) throw reader.Malformed($"duplicate {what} id");
        }
        return builder.ToImmutable();
    }
}
