using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;

namespace Coordinator.Client.Transport;

/// <summary>gRPC length-prefixed messages: 1 byte compressed flag (always 0 here: we never negotiate
/// compression), 4 bytes big-endian length, then the protobuf bytes.</summary>
internal static class GrpcFrame
{
    public const int HeaderSize = 5;

    public static byte[] Encode(IMessage message)
    {
        var size = message.CalculateSize();
        var frame = new byte[HeaderSize + size];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)size);
        message.WriteTo(frame.AsSpan(HeaderSize));
        return frame;
    }

    /// <summary>Reads one message, or null at a clean end of stream (between frames).</summary>
    public static async ValueTask<T?> ReadAsync<T>(Stream stream, MessageParser<T> parser, CancellationToken ct)
        where T : class, IMessage<T>
    {
        var header = new byte[HeaderSize];
        var read = await stream.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        if (read == 0) return null;
        if (read < HeaderSize) throw new IOException("gRPC stream ended inside a frame header");
        if (header[0] != 0) throw new CoordinatorException(GrpcStatusCode.Internal, "compressed gRPC message received but compression was not negotiated");
        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
        if (length < 0) throw new CoordinatorException(GrpcStatusCode.ResourceExhausted, "gRPC message too large");
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            await stream.ReadExactlyAsync(buffer.AsMemory(0, length), ct).ConfigureAwait(false);
            return parser.ParseFrom(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
