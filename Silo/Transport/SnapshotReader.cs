using System.Buffers.Binary;
using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Transport;

/// <summary>Reads the body of POST /raft/snapshot (layout in <see cref="SnapshotContent"/>).</summary>
internal static class SnapshotReader
{
    private const int InitialDataBuffer = 1 << 20;

    public static async Task<Message> ReadAsync(Stream body, PeerTransportOptions options, CancellationToken token)
    {
        var prefix = new byte[8];
        await body.ReadExactlyAsync(prefix.AsMemory(0, 4), token).ConfigureAwait(false);
        var headerLength = BinaryPrimitives.ReadUInt32BigEndian(prefix);
        if (headerLength == 0 || headerLength > (uint)options.MaxFrameBytes)
            throw new RaftMessageFormatException($"snapshot header of {headerLength} bytes");
        var header = new byte[headerLength];
        await body.ReadExactlyAsync(header, token).ConfigureAwait(false);
        var message = RaftMessageCodec.Decode(header);
        if (message.Type != MessageType.InstallSnapshot || message.Snapshot is null)
            throw new RaftMessageFormatException($"snapshot request carries a {message.Type} message");

        await body.ReadExactlyAsync(prefix, token).ConfigureAwait(false);
        var dataLength = BinaryPrimitives.ReadUInt64BigEndian(prefix);
        if (dataLength > (ulong)Math.Min(options.MaxSnapshotBytes, Array.MaxLength))
            throw new RaftMessageFormatException($"snapshot of {dataLength} bytes exceeds the limit of {options.MaxSnapshotBytes}");

        // Grow with the bytes that actually arrive: a lying length fails with EndOfStream, not a huge allocation.
        var data = new byte[(int)Math.Min(dataLength, InitialDataBuffer)];
        var filled = 0;
        while ((ulong)filled < dataLength)
        {
            if (filled == data.Length)
                Array.Resize(ref data, (int)Math.Min((long)dataLength, Math.Min((long)data.Length * 2, Array.MaxLength)));
            var read = await body.ReadAsync(data.AsMemory(filled), token).ConfigureAwait(false);
            if (read == 0) throw new EndOfStreamException($"snapshot data ended after {filled} of {dataLength} bytes");
            filled += read;
        }
        if (await body.ReadAsync(prefix.AsMemory(0, 1), token).ConfigureAwait(false) != 0)
            throw new RaftMessageFormatException("trailing bytes after the snapshot data");
        return message with { Snapshot = message.Snapshot with { Data = data } };
    }
}
