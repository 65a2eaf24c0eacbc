namespace Coordinator.Grains.Store;

/// <summary>
/// etcd's key selection: range_end empty selects the single key; range_end "\0" selects every
/// key &gt;= key; otherwise the half-open interval [key, range_end).
/// </summary>
internal readonly struct KeyRange
{
    public readonly byte[] Key;
    /// <summary>Exclusive upper bound; null means unbounded (only when not <see cref="IsSingle"/>).</summary>
    public readonly byte[]? End;
    public readonly bool IsSingle;

    private KeyRange(byte[] key, byte[]? end, bool single)
    {
        Key = key;
        End = end;
        IsSingle = single;
    }

    public static KeyRange From(Google.Protobuf.ByteString key, Google.Protobuf.ByteString rangeEnd)
    {
        var k = key.ToByteArray();
        if (rangeEnd.IsEmpty) return new KeyRange(k, null, single: true);
        if (rangeEnd.Length == 1 && rangeEnd[0] == 0) return new KeyRange(k, null, single: false);
        return new KeyRange(k, rangeEnd.ToByteArray(), single: false);
    }

    public static KeyRange Single(byte[] key) => new(key, null, single: true);

    /// <summary>True when <paramref name="key"/> lies past the end of the range (iteration can stop).</summary>
    public bool IsPastEnd(ReadOnlySpan<byte> key) =>
        IsSingle
            ? ByteKeyComparer.CompareKeys(key, Key) > 0
            : End is not null && ByteKeyComparer.CompareKeys(key, End) >= 0;

    public bool Contains(ReadOnlySpan<byte> key) =>
        IsSingle
            ? key.SequenceEqual(Key)
            : ByteKeyComparer.CompareKeys(key, Key) >= 0 && (End is null || ByteKeyComparer.CompareKeys(key, End) < 0);
}
