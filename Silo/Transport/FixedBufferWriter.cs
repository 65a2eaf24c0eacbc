using System.Buffers;

namespace Coordinator.Silo.Transport;

/// <summary>An <see cref="IBufferWriter{T}"/> over a caller-sized array; writing past its end throws.</summary>
internal sealed class FixedBufferWriter(byte[] buffer) : IBufferWriter<byte>
{
    private int _written;

    public int WrittenCount => _written;

    public void Advance(int count)
    {
        if (count < 0 || _written + count > buffer.Length) throw new InvalidOperationException("advanced past the buffer");
        _written += count;
    }

    // Varint writes ask for up to 10 bytes but may use fewer; near the end hand out what is left.
    public Memory<byte> GetMemory(int sizeHint = 0) => buffer.AsMemory(_written);

    public Span<byte> GetSpan(int sizeHint = 0) => buffer.AsSpan(_written);
}
