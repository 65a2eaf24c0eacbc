using System.Buffers.Binary;
using Google.Protobuf;

namespace Coordinator.Bench.Grpc;

/// <summary>gRPC length-prefixed framing: 1 byte compressed flag, 4 bytes big-endian length, the message.</summary>
public static class GrpcFrame
{
    public const int HeaderSize = 5;

    /// <summary>One frame holding <paramref name="message"/>, in a single exactly-sized array.</summary>
    public static byte[] Encode(IMessage message)
    {
        var size = message.CalculateSize();
        var frame = new byte[HeaderSize + size];
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1, 4), size);
        message.WriteTo(frame.AsSpan(HeaderSize));
        return frame;
    }

    /// <summary>Length of the message that follows a frame header; rejects compressed frames (we never ask for them).</summary>
    public static int ReadLength(ReadOnlySpan<byte> header)
    {
        if (header[0] != 0)
            throw new GrpcStatusException(13, "compressed frame received without negotiating compression");
        return BinaryPrimitives.ReadInt32BigEndian(header.Slice(1, 4));
    }
}
