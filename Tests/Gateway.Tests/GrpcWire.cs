using System.Buffers.Binary;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace Coordinator.Tests.Gateway;

/// <summary>Client-side framing helpers for tests (deliberately separate from the server's code).</summary>
public static class GrpcWire
{
    public static byte[] Frame(IMessage message) => Frame(message.ToByteArray());

    public static byte[] Frame(byte[] payload, byte compressed = 0)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = compressed;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    /// <summary>Reads one frame's payload, or null at the end of the stream.</summary>
    public static async Task<byte[]?> ReadFrameAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[5];
        var read = await stream.ReadAtLeastAsync(header, 5, throwOnEndOfStream: false, cancellationToken);
        if (read == 0) return null;
        if (read < 5) throw new InvalidDataException("truncated frame header");
        var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1))];
        await stream.ReadExactlyAsync(payload, cancellationToken);
        return payload;
    }

    public static (int Status, string? Message, bool TrailersOnly) Status(HttpResponseMessage response)
    {
        if (Find(response.Headers, out var status, out var message)) return (status, message, true);
        if (Find(response.TrailingHeaders, out status, out message)) return (status, message, false);
        throw new InvalidOperationException($"no grpc-status (HTTP {(int)response.StatusCode})");
    }

    private static bool Find(HttpHeaders headers, out int status, out string? message)
    {
        status = -1;
        message = null;
        if (!headers.TryGetValues("grpc-status", out var values)) return false;
        status = int.Parse(values.Single());
        if (headers.TryGetValues("grpc-message", out var messages)) message = Uri.UnescapeDataString(messages.Single());
        return true;
    }
}
