using Coordinator.Grains.Store;
using System.Buffers;
using System.Text;
using Coordinator.Silo.Storage;
using Xunit;

namespace Coordinator.Tests.Storage;

public sealed class FramingTests
{
    [Fact]
    public void Crc32CMatchesTheStandardCheckValue() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void AFrameReadsBackAndEveryPrefixIsShort()
    {
        var buffer = new ArrayBufferWriter<byte>();
        WalFrame.Write(buffer, WalRecordType.HardState, new byte[] { 1, 2, 3 });
        var frame = buffer.WrittenMemory.ToArray();
        Assert.Equal(FrameStatus.Ok, WalFrame.TryRead(frame, 0, out var record));
        Assert.Equal(WalRecordType.HardState, record.Type);
        Assert.Equal(new byte[] { 1, 2, 3 }, record.Payload.ToArray());
        for (var cut = 1; cut < frame.Length; cut++)
            Assert.Equal(FrameStatus.Short, WalFrame.TryRead(frame.AsMemory(0, cut), 0, out _));
        Assert.Equal(FrameStatus.End, WalFrame.TryRead(frame, frame.Length, out _));
    }

    [Fact]
    public void EveryFlippedBitIsCaught()
    {
        var buffer = new ArrayBufferWriter<byte>();
        WalFrame.Write(buffer, WalRecordType.Entries, Encoding.ASCII.GetBytes("payload"));
        var frame = buffer.WrittenMemory.ToArray();
        for (var bit = 0; bit < frame.Length * 8; bit++)
        {
            var copy = (byte[])frame.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(FrameStatus.Ok, WalFrame.TryRead(copy, 0, out _));
        }
    }
}
