using System.Text;
using Google.Protobuf;

namespace Coordinator.Client;

/// <summary>A key or an interval of keys [Key, RangeEnd), as etcd encodes it: an empty RangeEnd is the single
/// key, "\0" is "every key &gt;= Key". Strings are UTF-8. A string converts implicitly to a single key.</summary>
public readonly record struct KeyRange(ByteString Key, ByteString RangeEnd)
{
    private static readonly ByteString Zero = ByteString.CopyFrom(0);

    public static KeyRange Single(string key) => new(ByteString.CopyFromUtf8(key), ByteString.Empty);

    public static KeyRange Single(byte[] key) => new(ByteString.CopyFrom(key), ByteString.Empty);

    /// <summary>Every key that starts with <paramref name="prefix"/> (every key at all for "").</summary>
    public static KeyRange Prefix(string prefix) => Prefix(Encoding.UTF8.GetBytes(prefix));

    public static KeyRange Prefix(byte[] prefix) =>
        prefix.Length == 0 ? All : new(ByteString.CopyFrom(prefix), ByteString.CopyFrom(PrefixEnd(prefix)));

    /// <summary>[from, to).</summary>
    public static KeyRange Between(string from, string to) => new(ByteString.CopyFromUtf8(from), ByteString.CopyFromUtf8(to));

    public static KeyRange All => new(Zero, Zero);

    public static implicit operator KeyRange(string key) => Single(key);

    /// <summary>The smallest key greater than every key with this prefix: the last byte below 0xff
    /// incremented, what follows it dropped; "\0" (no upper bound) when every byte is 0xff.</summary>
    public static byte[] PrefixEnd(ReadOnlySpan<byte> prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] == 0xff) continue;
            var end = prefix[..(i + 1)].ToArray();
            end[i]++;
            return end;
        }
        return [0];
    }

    public override string ToString() => RangeEnd.IsEmpty ? Key.ToStringUtf8() : $"[{Key.ToStringUtf8()}, {RangeEnd.ToStringUtf8()})";
}
