using Google.Protobuf;

namespace Coordinator.Gateway.Watch;

/// <summary>
/// The keys a watch selects, normalized as etcd's watch server does: an empty key means "\0" (the smallest
/// key); an empty range_end selects that key alone; range_end "\0" selects every key &gt;= key; otherwise
/// [key, range_end). A range whose end is the key's prefix end is recognized as a prefix for indexing.
/// </summary>
internal sealed class WatchKeyRange
{
    public enum Shape { Single, Prefix, FromKey, Interval }

    private WatchKeyRange(byte[] key, byte[]? end, Shape shape)
    {
        Key = key;
        End = end;
        Kind = shape;
    }

    public byte[] Key { get; }

    /// <summary>Exclusive end for <see cref="Shape.Prefix"/> and <see cref="Shape.Interval"/>, else null.</summary>
    public byte[]? End { get; }

    public Shape Kind { get; }

    /// <summary>The key as the store's history API wants it.</summary>
    public ByteString StoreKey => UnsafeByteOperations.UnsafeWrap(Key);

    /// <summary>The range end as the store's history API wants it (empty = single key, "\0" = from key).</summary>
    public ByteString StoreRangeEnd => Kind switch
    {
        Shape.Single => ByteString.Empty,
        Shape.FromKey => FromKeyEnd,
        _ => UnsafeByteOperations.UnsafeWrap(End!),
    };

    private static readonly ByteString FromKeyEnd = ByteString.CopyFrom(0);

    /// <summary>Null when the range is empty (key &gt;= range_end), which etcd refuses.</summary>
    public static WatchKeyRange? From(ByteString key, ByteString rangeEnd)
    {
        var k = key.IsEmpty ? [0] : key.ToByteArray();
        if (rangeEnd.IsEmpty) return new WatchKeyRange(k, null, Shape.Single);
        if (rangeEnd.Length == 1 && rangeEnd[0] == 0) return new WatchKeyRange(k, null, Shape.FromKey);
        var end = rangeEnd.ToByteArray();
        if (k.AsSpan().SequenceCompareTo(end) >= 0) return null;
        return new WatchKeyRange(k, end, IsPrefixEnd(k, end) ? Shape.Prefix : Shape.Interval);
    }

    public bool Contains(ReadOnlySpan<byte> key) => Kind switch
    {
        Shape.Single => key.SequenceEqual(Key),
        Shape.FromKey => key.SequenceCompareTo(Key) >= 0,
        _ => key.SequenceCompareTo(Key) >= 0 && key.SequenceCompareTo(End) < 0,
    };

    /// <summary>True when [key, end) is exactly the keys starting with key: end is key with its last byte + 1.</summary>
    private static bool IsPrefixEnd(byte[] key, byte[] end) =>
        key.Length == end.Length
        && key[^1] != 0xff
        && key.AsSpan(0, key.Length - 1).SequenceEqual(end.AsSpan(0, end.Length - 1))
        && end[^1] == key[^1] + 1;
}
