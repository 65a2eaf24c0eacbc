using System.Buffers;
using Coordinator.Grains.Raft;
using Coordinator.Silo.Transport;

namespace Coordinator.Fuzz;

/// <summary>The peer stream's batch frames as a member reads them from another: the frame header, then every
/// message in the body. Garbage must be refused with <see cref="RaftMessageFormatException"/> (the stream is then
/// dropped), never anything else; a message that decodes encodes back to the same bytes.</summary>
public sealed class PeerFrameTarget : IFuzzTarget
{
    public string Name => "peer-frames";

    public void Run(ReadOnlySpan<byte> input)
    {
        var buffer = new ReadOnlySequence<byte>(input.ToArray());
        try
        {
            if (MessageBatchCodec.TryReadFrameLength(buffer, maxFrameBytes: 1 << 20) is not { } length) return;
            if (buffer.Length < MessageBatchCodec.FrameHeaderBytes + length) return;
            var messages = MessageBatchCodec.ReadFrameBody(buffer.Slice(MessageBatchCodec.FrameHeaderBytes, length));
            foreach (var m in messages) RoundTrip(m);
        }
        catch (RaftMessageFormatException) { }
    }

    private static void RoundTrip(Message m)
    {
        var encoded = RaftMessageCodec.Encode(m);
        var again = RaftMessageCodec.Encode(RaftMessageCodec.Decode(encoded));
        if (!encoded.AsSpan().SequenceEqual(again)) throw new InvalidOperationException($"{m.Type} does not round-trip");
    }
}
