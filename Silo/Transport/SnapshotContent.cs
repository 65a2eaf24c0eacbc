using System.Buffers.Binary;
using System.Net;
using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Transport;

/// <summary>
/// Request body of POST /raft/snapshot:
/// <c>headerLength:u32 BE | header (the InstallSnapshot message with empty snapshot data) | dataLength:u64 BE | data</c>.
/// The data is written in chunks with a flush after each, so HTTP/2 flow control paces it and the peer's
/// message stream on the same connection keeps flowing.
/// </summary>
internal sealed class SnapshotContent : HttpContent
{
    private readonly byte[] _header;
    private readonly ReadOnlyMemory<byte> _data;
    private readonly int _chunkBytes;
    private readonly PeerTransportStatistics _statistics;

    public SnapshotContent(Message message, int chunkBytes, PeerTransportStatistics statistics)
    {
        var snapshot = message.Snapshot ?? throw new ArgumentException("InstallSnapshot without a snapshot", nameof(message));
        _header = RaftMessageCodec.Encode(message with { Snapshot = snapshot with { Data = ReadOnlyMemory<byte>.Empty } });
        _data = snapshot.Data;
        _chunkBytes = chunkBytes;
        _statistics = statistics;
    }

    public static int PrefixBytes(int headerLength) => 4 + headerLength + 8;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var prefix = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)_header.Length);
        await stream.WriteAsync(prefix, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(_header, cancellationToken).ConfigureAwait(false);
        var length = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(length, (ulong)_data.Length);
        await stream.WriteAsync(length, cancellationToken).ConfigureAwait(false);
        for (var offset = 0; offset < _data.Length; offset += _chunkBytes)
        {
            var chunk = _data.Slice(offset, Math.Min(_chunkBytes, _data.Length - offset));
            await stream.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _statistics.snapshotChunksSent);
        }
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = PrefixBytes(_header.Length) + _data.Length;
        return true;
    }
}
