using System.Buffers.Binary;
using Coordinator.Grains.Store;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// The replicated state machine (member table + store) captured on the replica loop at one applied index,
/// encodable on any thread afterwards. Layout: member table length (i32 LE), member table, store snapshot.
/// Immutable.
/// </summary>
internal sealed class StateMachineImage(byte[] members, StoreSnapshotImage store)
{
    public ulong AppliedIndex => store.Index;

    /// <summary>Bytes <see cref="WriteTo"/> writes (walks every record: call off the loop).</summary>
    public long EncodedLength() => 4 + members.Length + store.EncodedLength;

    public void WriteTo(Stream destination)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, members.Length);
        destination.Write(length);
        destination.Write(members);
        store.WriteTo(destination);
    }

    public byte[] ToArray()
    {
        using var buffer = new MemoryStream((int)Math.Min(EncodedLength(), Array.MaxLength));
        WriteTo(buffer);
        return buffer.ToArray();
    }
}
