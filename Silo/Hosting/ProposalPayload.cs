using Coordinator.Protocol.Internal;
using Google.Protobuf;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// A proposal's RaftRequest, serialized off the replica loop with room at its end for the two fields only the
/// loop may choose: the id (issued in loop order, so the floor can be exact) and the floor (the lowest id still
/// waited for). Protobuf allows a field after the others, so the loop seals the payload by writing them into the
/// reserved tail: no copy, no second serialization on the loop. Single owner; sealed once.
/// </summary>
internal sealed class ProposalPayload
{
    // tag 0x08 (field 1, varint) + up to 10 bytes, tag 0xF8 0x01 (field 31, varint) + up to 10 bytes.
    private const int TailBytes = 1 + 10 + 2 + 10;
    private readonly byte[] _buffer;
    private readonly int _bodyLength;
    private int _sealedLength = -1;

    /// <param name="request">Its id and floor must be unset (0): they go into the tail.</param>
    public ProposalPayload(RaftRequest request)
    {
        if (request.Id != 0 || request.Floor != 0) throw new ArgumentException("id and floor are chosen by the loop", nameof(request));
        _bodyLength = request.CalculateSize();
        _buffer = new byte[_bodyLength + TailBytes];
        request.WriteTo(_buffer.AsSpan(0, _bodyLength));
    }

    /// <summary>Bytes of the request without its tail (for size limits).</summary>
    public int BodyLength => _bodyLength;

    public bool IsSealed => _sealedLength >= 0;

    /// <summary>Writes id and floor into the tail; the entry data from then on.</summary>
    public ReadOnlyMemory<byte> Seal(ulong id, ulong floor)
    {
        if (IsSealed) throw new InvalidOperationException("a payload is sealed once");
        var at = _bodyLength;
        _buffer[at++] = 0x08;
        at += WriteVarint(_buffer.AsSpan(at), id);
        _buffer[at++] = 0xF8;
        _buffer[at++] = 0x01;
        at += WriteVarint(_buffer.AsSpan(at), floor);
        _sealedLength = at;
        return Data;
    }

    public ReadOnlyMemory<byte> Data => IsSealed ? _buffer.AsMemory(0, _sealedLength) : throw new InvalidOperationException("not sealed");

    private static int WriteVarint(Span<byte> output, ulong value)
    {
        var n = 0;
        while (value >= 0x80)
        {
            output[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        output[n++] = (byte)value;
        return n;
    }
}
