using System.Buffers.Binary;
using Coordinator.Grains.Store;

namespace Coordinator.Silo.Hosting;

/// <summary>The backup file `etcdctl snapshot save` writes from our Snapshot stream, and
/// `coordinator snapshot restore` reads: magic, applied index, state machine, CRC32C.</summary>
public static class BackupFile
{
    private static ReadOnlySpan<byte> Magic => "CRDSNAP1"u8;

    public static byte[] Encode(ulong appliedIndex, byte[] stateMachine)
    {
        var bytes = new byte[8 + 8 + stateMachine.Length + 4];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), appliedIndex);
        stateMachine.CopyTo(bytes, 16);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4)));
        return bytes;
    }

    /// <summary>Checks magic and CRC; returns the applied index and the state machine bytes.</summary>
    public static (ulong AppliedIndex, byte[] StateMachine) Decode(byte[] bytes, string path)
    {
        if (bytes.Length < 20 || !bytes.AsSpan(0, 8).SequenceEqual(Magic))
            throw new InvalidDataException($"{path} is not a coordinator snapshot (etcd's bbolt snapshots are not supported)");
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4));
        if (crc != Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4)))
            throw new InvalidDataException($"{path} is damaged: checksum mismatch");
        return (BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)), bytes[16..^4]);
    }
}
