using System.Buffers.Binary;
using System.Security.Cryptography;
using Coordinator.Grains.Store;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// The backup `etcdctl snapshot save` writes from our Snapshot stream and `coordinator snapshot restore` reads:
/// "CRDSNAP1", body length, applied index, state machine (members + store), CRC32C of all that; then zero
/// padding to a multiple of 512 bytes and a SHA-256 of everything before it — the trailer etcdctl checks for.
/// </summary>
public static class BackupFile
{
    private static ReadOnlySpan<byte> Magic => "CRDSNAP1"u8;
    private const int HeaderBytes = 24;

    public static byte[] Encode(ulong appliedIndex, byte[] stateMachine)
    {
        var bodyLength = HeaderBytes + stateMachine.Length + 4;
        var padded = (bodyLength + 511) / 512 * 512;
        var bytes = new byte[padded + SHA256.HashSizeInBytes];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), bodyLength);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), appliedIndex);
        stateMachine.CopyTo(bytes, HeaderBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bodyLength - 4), Crc32C.Compute(bytes.AsSpan(0, bodyLength - 4)));
        SHA256.HashData(bytes.AsSpan(0, padded), bytes.AsSpan(padded));
        return bytes;
    }

    /// <summary>Checks magic, CRC and the SHA-256 trailer; returns the applied index and the state machine.</summary>
    public static (ulong AppliedIndex, byte[] StateMachine) Decode(byte[] bytes, string path)
    {
        if (bytes.Length < HeaderBytes + 4 || !bytes.AsSpan(0, 8).SequenceEqual(Magic))
            throw new InvalidDataException($"{path} is not a coordinator snapshot (etcd's bbolt snapshots are not supported)");
        var bodyLength = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8));
        if (bodyLength < HeaderBytes + 4 || bodyLength > bytes.Length)
            throw new InvalidDataException($"{path} is damaged: truncated");
        var body = (int)bodyLength;
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(body - 4));
        if (crc != Crc32C.Compute(bytes.AsSpan(0, body - 4)))
            throw new InvalidDataException($"{path} is damaged: checksum mismatch");
        if (bytes.Length % 512 == SHA256.HashSizeInBytes)
        {
            var padded = bytes.Length - SHA256.HashSizeInBytes;
            if (!SHA256.HashData(bytes.AsSpan(0, padded)).AsSpan().SequenceEqual(bytes.AsSpan(padded)))
                throw new InvalidDataException($"{path} is damaged: SHA-256 mismatch");
        }
        return (BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16)), bytes[HeaderBytes..(body - 4)]);
    }
}
