using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;

namespace Coordinator.Gateway.Grpc;

/// <summary>Writes length-prefixed gRPC frames (flag 0 = uncompressed, 4-byte big-endian length, message).</summary>
public static class GrpcFrameWriter
{
    public const int HeaderSize = 5;

    /// <summary>Buffers one frame in <paramref name="output"/>; the caller flushes.</summary>
    public static void Write(PipeWriter output, IMessage message)
    {
        var size = message.CalculateSize();
        var header = output.GetSpan(HeaderSize);
        header[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)size);
        output.Advance(HeaderSize);
        if (size > 0) message.WriteTo(output);
    }
}
