using Google.Protobuf;

namespace Coordinator.Bench.Etcd;

/// <summary>etcd's range_end conventions.</summary>
public static class KeyRange
{
    /// <summary>The range_end that makes a range cover every key starting with <paramref name="prefix"/>.</summary>
    public static ByteString PrefixEnd(ByteString prefix)
    {
        var end = prefix.ToByteArray();
        for (var i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] < 0xff)
            {
                end[i]++;
                return ByteString.CopyFrom(end, 0, i + 1);
            }
        }
        return ByteString.CopyFrom(0); // no upper bound: "every key >= prefix"
    }
}
