using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Coordinator.Grains.Store;
using Google.Protobuf;

namespace Coordinator.Gateway.Grpc;

/// <summary>
/// Reads length-prefixed gRPC messages from a request body. A frame larger than the limit is refused from its
/// header alone (RESOURCE_EXHAUSTED); a compressed, truncated or unparsable frame ends the call, never the connection.
/// Owned by one call; not thread-safe.
/// </summary>
public sealed class GrpcFrameReader(PipeReader input, int maxMessageBytes, string? encoding)
{
    /// <summary>The next message, or null when the client half-closed at a frame boundary.</summary>
    public async ValueTask<T?> ReadAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var consumed = buffer.Start;
            var examined = buffer.End;
            try
            {
                if (result.IsCanceled) throw new OperationCanceledException(cancellationToken);
                if (TryReadFrame(ref buffer, out var payload))
                {
                    consumed = examined = buffer.Start;
                    return Parse(parser, payload);
                }
                if (result.IsCompleted)
                {
                    if (buffer.IsEmpty) return null;
                    throw GrpcStatusException.InvalidArgument("grpc: request ended inside a message frame");
                }
            }
            finally
            {
                input.AdvanceTo(consumed, examined);
            }
        }
    }

    // On success, `payload` is the message and `buffer` starts after the frame.
    private bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        if (buffer.Length < GrpcFrameWriter.HeaderSize) return false;
        Span<byte> header = stackalloc byte[GrpcFrameWriter.HeaderSize];
        buffer.Slice(0, GrpcFrameWriter.HeaderSize).CopyTo(header);
        if (header[0] != 0) throw CompressedFrame(header[0]);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > (uint)maxMessageBytes)
            throw new GrpcStatusException(StatusCode.ResourceExhausted,
                $"grpc: received message larger than max ({length} vs. {maxMessageBytes})");
        if (buffer.Length < GrpcFrameWriter.HeaderSize + length) return false;
        payload = buffer.Slice(GrpcFrameWriter.HeaderSize, length);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    private GrpcStatusException CompressedFrame(byte flag)
    {
        if (flag != 1) return GrpcStatusException.InvalidArgument($"grpc: invalid compressed flag {flag}");
        // As grpc-go: an unknown codec is UNIMPLEMENTED, a compressed frame without a codec is INTERNAL.
        return string.IsNullOrEmpty(encoding) || encoding == "identity"
            ? new GrpcStatusException(StatusCode.Internal, "grpc: compressed flag set with identity or empty encoding")
            : GrpcStatusException.Unimplemented($"grpc: Decompressor is not installed for grpc-encoding \"{encoding}\"");
    }

    private static T Parse<T>(MessageParser<T> parser, ReadOnlySequence<byte> payload) where T : class, IMessage<T>
    {
        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw GrpcStatusException.InvalidArgument($"grpc: error unmarshalling request: {e.Message}");
        }
    }
}
