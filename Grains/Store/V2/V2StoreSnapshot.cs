using System.Buffers.Binary;
using System.Text.Json;

namespace Coordinator.Grains.Store.V2;

/// <summary>
/// The v2 store's section of a state-machine snapshot: "CV2S", u32 format version, i32 body length, body (UTF-8
/// JSON: index, the nodes in pre-order — parents before children — the event history and the write counters),
/// u32 CRC-32C of the body. A snapshot written before the v2 store existed has no such section: the store is then
/// empty.
/// </summary>
public static class V2StoreSnapshot
{
    public const uint FormatVersion = 1;
    private static ReadOnlySpan<byte> Magic => "CV2S"u8;

    internal sealed record NodeImage(string Path, ulong CreatedIndex, ulong ModifiedIndex, long Expiration, string? Value);

    internal sealed record Body(ulong Index, List<NodeImage> Nodes, List<V2Event> History, long[] Stats);

    /// <summary>A point-in-time copy, taken under the store's lock (no encoding: that may run on any thread).</summary>
    public sealed class Image
    {
        internal Image(Body body) => Contents = body;
        internal Body Contents { get; }

        public ulong Index => Contents.Index;

        public byte[] ToArray()
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(Contents);
            var bytes = new byte[4 + 4 + 4 + json.Length + 4];
            Magic.CopyTo(bytes);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), FormatVersion);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), json.Length);
            json.CopyTo(bytes, 12);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12 + json.Length), Crc32C.Compute(json));
            return bytes;
        }

        public void WriteTo(Stream destination) => destination.Write(ToArray());
    }

    /// <summary>Reads a section written by <see cref="Image.WriteTo"/>; an empty source is an empty store.
    /// Throws <see cref="InvalidDataException"/> when damaged.</summary>
    internal static Body? Read(Stream source)
    {
        Span<byte> header = stackalloc byte[12];
        var n = source.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (n == 0) return null;
        if (n < header.Length || !header[..4].SequenceEqual(Magic)) throw new InvalidDataException("not a v2 store snapshot section");
        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (version != FormatVersion) throw new InvalidDataException($"unsupported v2 store snapshot version {version}");
        var length = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        if (length < 0) throw new InvalidDataException("bad v2 store snapshot length");
        var json = new byte[length];
        Span<byte> crc = stackalloc byte[4];
        try
        {
            source.ReadExactly(json);
            source.ReadExactly(crc);
        }
        catch (EndOfStreamException e) { throw new InvalidDataException("v2 store snapshot is truncated", e); }
        if (BinaryPrimitives.ReadUInt32LittleEndian(crc) != Crc32C.Compute(json)) throw new InvalidDataException("v2 store snapshot checksum mismatch");
        try
        {
            return JsonSerializer.Deserialize<Body>(json) ?? throw new InvalidDataException("empty v2 store snapshot");
        }
        catch (JsonException e) { throw new InvalidDataException("v2 store snapshot is damaged: " + e.Message, e); }
    }
}
