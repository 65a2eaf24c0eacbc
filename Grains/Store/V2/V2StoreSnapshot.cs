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
            return SnapshotSection.Encode(Magic, FormatVersion, JsonSerializer.SerializeToUtf8Bytes(Contents));
        }

        public void WriteTo(Stream destination) => destination.Write(ToArray());
    }

    /// <summary>Reads a section written by <see cref="Image.WriteTo"/>; an empty source is an empty store.
    /// Throws <see cref="InvalidDataException"/> when damaged.</summary>
    internal static Body? Read(Stream source)
    {
        var json = SnapshotSection.Read(source, Magic, FormatVersion, "v2 store");
        if (json is null) return null;
        try
        {
            return JsonSerializer.Deserialize<Body>(json) ?? throw new InvalidDataException("empty v2 store snapshot");
        }
        catch (JsonException e) { throw new InvalidDataException("v2 store snapshot is damaged: " + e.Message, e); }
    }
}
