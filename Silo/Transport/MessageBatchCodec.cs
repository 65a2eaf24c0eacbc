using System.Buffers;
using System.Buffers.Binary;
using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Transport;

/// <summary>
/// Framing of the long-lived peer stream: a never-ending sequence of batch frames
/// <c>bodyLength:u32 big-endian | message+</c>, messages encoded back to back as in <see cref="RaftMessageCodec"/>
/// (the encoding is self-delimiting, so the body needs no count).
/// </summary>
public static class MessageBatchCodec
{
    public const int FrameHeaderBytes = 4;

    /// <summary>Appends one frame holding <paramref name="messages"/>; returns the frame's body length.</summary>
    public static int WriteFrame(IBufferWriter<byte> output, IReadOnlyList<Message> messages)
    {
        long bodyLength = 0;
        foreach (var message in messages) bodyLength += RaftMessageCodec.GetEncodedSize(message);
        if (bodyLength > int.MaxValue) throw new ArgumentException("batch too large for one frame", nameof(messages));
        BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(FrameHeaderBytes), (uint)bodyLength);
        output.Advance(FrameHeaderBytes);
        foreach (var message in messages) RaftMessageCodec.Encode(message, output);
        return (int)bodyLength;
    }

    /// <summary>
    /// Reads the body length of the frame starting at <paramref name="buffer"/>, or null if fewer than
    /// <see cref="FrameHeaderBytes"/> bytes are available. An empty frame, or one above
    /// <paramref name="maxFrameBytes"/>, is an error: a corrupt length must not make us buffer without bound.
    /// </summary>
    public static int? TryReadFrameLength(ReadOnlySequence<byte> buffer, int maxFrameBytes)
    {
        if (buffer.Length < FrameHeaderBytes) return null;
        Span<byte> header = stackalloc byte[FrameHeaderBytes];
        buffer.Slice(0, FrameHeaderBytes).CopyTo(header);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length == 0) throw new RaftMessageFormatException("empty batch frame");
        if (length > (uint)maxFrameBytes)
            throw new RaftMessageFormatException($"frame of {length} bytes exceeds the limit of {maxFrameBytes}");
        return (int)length;
    }

    /// <summary>Decodes a frame body (without its length header) into its messages.</summary>
    public static List<Message> ReadFrameBody(ReadOnlySpan<byte> body)
    {
        var reader = new WireReader(body);
        var messages = new List<Message>();
        while (reader.Remaining > 0) messages.Add(RaftMessageCodec.Read(ref reader));
        return messages;
    }

    /// <summary>Decodes a frame body that may span several buffer segments.</summary>
    public static List<Message> ReadFrameBody(ReadOnlySequence<byte> body)
    {
        if (body.IsSingleSegment) return ReadFrameBody(body.FirstSpan);
        var rented = ArrayPool<byte>.Shared.Rent((int)body.Length);
        try
        {
            body.CopyTo(rented);
            return ReadFrameBody(rented.AsSpan(0, (int)body.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
