using System.Buffers;
using Coordinator.Grains.Raft;
using Coordinator.Silo.Transport;
using Xunit;

namespace Coordinator.Tests.Transport;

public class RaftMessageCodecTests
{
    private static readonly Message FullMessage = new()
    {
        Group = 7, Type = MessageType.InstallSnapshot, From = 1, To = 2, Term = 9, LogTerm = 8, Index = 100,
        Entries = [new Entry(101, 9, EntryType.Normal, new byte[] { 1, 2, 3 }), new Entry(102, 9),
                   new Entry(103, 9, EntryType.ConfigChange, new ConfigChange(ConfigChangeType.AddVoter, 4).Encode())],
        Commit = 99, Reject = true, RejectHint = 55, Context = ulong.MaxValue, LeaderTransfer = true, Quiesce = true,
        Snapshot = new Snapshot(new SnapshotMetadata(90, 8, Membership.OfVoters(1, 2, 3) with
        {
            Learners = [5],
        }), new byte[] { 9, 8, 7 }),
    };

    [Fact]
    public void Every_field_round_trips()
    {
        var decoded = RaftMessageCodec.Decode(RaftMessageCodec.Encode(FullMessage));
        MessageAssert.Equal(FullMessage, decoded);
    }

    [Fact]
    public void Empty_message_round_trips_and_null_snapshot_stays_null()
    {
        var decoded = RaftMessageCodec.Decode(RaftMessageCodec.Encode(new Message()));
        MessageAssert.Equal(new Message(), decoded);
        Assert.Null(decoded.Snapshot);
        var withEmptySnapshot = new Message { Snapshot = Snapshot.Empty };
        MessageAssert.Equal(withEmptySnapshot, RaftMessageCodec.Decode(RaftMessageCodec.Encode(withEmptySnapshot)));
    }

    [Fact]
    public void Random_messages_round_trip_and_size_is_exact()
    {
        var messages = new RandomMessages(seed: 20240611);
        for (var i = 0; i < 3000; i++)
        {
            var message = messages.Next();
            var bytes = RaftMessageCodec.Encode(message);
            Assert.Equal(RaftMessageCodec.GetEncodedSize(message), bytes.Length);
            MessageAssert.Equal(message, RaftMessageCodec.Decode(bytes));
        }
    }

    [Fact]
    public void Every_truncation_is_rejected()
    {
        var messages = new RandomMessages(seed: 7);
        foreach (var message in Enumerable.Range(0, 40).Select(_ => messages.Next()).Append(FullMessage))
        {
            var bytes = RaftMessageCodec.Encode(message);
            for (var length = 0; length < bytes.Length; length++)
                Assert.Throws<RaftMessageFormatException>(() => RaftMessageCodec.Decode(bytes.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Trailing_bytes_are_rejected()
    {
        var bytes = RaftMessageCodec.Encode(FullMessage).Append((byte)0).ToArray();
        Assert.Throws<RaftMessageFormatException>(() => RaftMessageCodec.Decode(bytes));
    }

    [Fact]
    public void Garbage_and_bit_flips_fail_only_with_format_exception()
    {
        var random = new Random(99);
        var messages = new RandomMessages(seed: 100);
        for (var i = 0; i < 5000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(300)];
                random.NextBytes(input);
                if (input.Length > 0) input[0] = RaftMessageCodec.FormatVersion; // get past the version check
            }
            else
            {
                input = RaftMessageCodec.Encode(messages.Next());
                for (var flips = random.Next(1, 4); flips > 0; flips--) input[random.Next(input.Length)] ^= (byte)(1 << random.Next(8));
            }
            try
            {
                RaftMessageCodec.Decode(input);
            }
            catch (RaftMessageFormatException)
            {
            }
        }
    }

    [Fact]
    public void Corrupt_lengths_fail_fast_instead_of_allocating()
    {
        // version, type Append, no flags, nine zero varints, then an entry count of 2^63.
        byte[] hugeCount = [1, (byte)MessageType.Append, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                            0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01];
        var e = Assert.Throws<RaftMessageFormatException>(() => RaftMessageCodec.Decode(hugeCount));
        Assert.Contains("entry count", e.Message);

        // One entry whose data claims 2^40 bytes.
        byte[] hugeData = [1, (byte)MessageType.Append, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0,
                           0x80, 0x80, 0x80, 0x80, 0x80, 0x20];
        e = Assert.Throws<RaftMessageFormatException>(() => RaftMessageCodec.Decode(hugeData));
        Assert.Contains("entry data length", e.Message);

        byte[] overlongVarint = [1, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F];
        Assert.Throws<RaftMessageFormatException>(() => RaftMessageCodec.Decode(overlongVarint));
    }

    [Fact]
    public void Unknown_version_type_and_flags_are_rejected()
    {
        var bytes = RaftMessageCodec.Encode(new Message { Type = MessageType.Heartbeat });
        var wrongVersion = (byte[])bytes.Clone(); wrongVersion[0] = 2;
        var wrongType = (byte[])bytes.Clone(); wrongType[1] = 200;
        var wrongFlags = (byte[])bytes.Clone(); wrongFlags[2] = 0x80;
        Assert.Contains("version", Assert.Throws<RaftMessageFormatException>(() => RaftMessageCodec.Decode(wrongVersion)).Message);
        Assert.Contains("message type", Assert.Throws<RaftMessageFormatException>(() => RaftMessageCodec.Decode(wrongType)).Message);
        Assert.Contains("flags", Assert.Throws<RaftMessageFormatException>(() => RaftMessageCodec.Decode(wrongFlags)).Message);
    }

    [Fact]
    public void Batch_frames_round_trip_and_bound_their_length()
    {
        var generator = new RandomMessages(seed: 3);
        var batch = Enumerable.Range(0, 50).Select(_ => generator.Next()).ToList();
        var output = new ArrayBufferWriter<byte>();
        var bodyLength = MessageBatchCodec.WriteFrame(output, batch);
        var frame = new ReadOnlySequence<byte>(output.WrittenMemory);

        Assert.Equal(bodyLength, MessageBatchCodec.TryReadFrameLength(frame, int.MaxValue));
        var decoded = MessageBatchCodec.ReadFrameBody(frame.Slice(MessageBatchCodec.FrameHeaderBytes));
        Assert.Equal(batch.Count, decoded.Count);
        for (var i = 0; i < batch.Count; i++) MessageAssert.Equal(batch[i], decoded[i]);

        Assert.Null(MessageBatchCodec.TryReadFrameLength(frame.Slice(0, 3), int.MaxValue));
        Assert.Throws<RaftMessageFormatException>(() => MessageBatchCodec.TryReadFrameLength(frame, bodyLength - 1));
        Assert.Throws<RaftMessageFormatException>(() =>
            MessageBatchCodec.ReadFrameBody(frame.Slice(MessageBatchCodec.FrameHeaderBytes, bodyLength - 1)));
    }
}
