using System.Globalization;
using System.Text;
using Etcdserverpb;
using Google.Protobuf;

namespace Coordinator.Gateway.Services.Concurrency;

/// <summary>
/// Key layout of etcd's clientv3/concurrency recipes, which its v3lock and v3election servers run: every
/// contender of <c>name</c> owns <c>name/&lt;lease id in hex&gt;</c>, and the contender whose key has the lowest
/// create revision under <c>name/</c> holds the lock or leads the election.
/// </summary>
internal static class RecipeKeys
{
    public static ByteString Prefix(ByteString name) => Join(name, "/"u8);

    /// <summary>Go's <c>fmt.Sprintf("%s%x", prefix, leaseID)</c>: lowercase hex, a minus sign for a negative id.</summary>
    public static ByteString OwnKey(ByteString prefix, long lease)
    {
        var hex = lease < 0
            ? "-" + ((ulong)-(lease + 1) + 1).ToString("x", CultureInfo.InvariantCulture)
            : lease.ToString("x", CultureInfo.InvariantCulture);
        return Join(prefix, Encoding.ASCII.GetBytes(hex));
    }

    /// <summary>The end of the range of keys starting with <paramref name="prefix"/> (clientv3's WithPrefix).</summary>
    public static ByteString PrefixEnd(ByteString prefix)
    {
        var end = prefix.ToByteArray();
        for (var i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] == 0xff) continue;
            end[i]++;
            return UnsafeByteOperations.UnsafeWrap(end.AsMemory(0, i + 1));
        }
        return ByteString.CopyFrom(0);
    }

    /// <summary>The key under <paramref name="prefix"/> with the lowest create revision: the owner (WithFirstCreate).</summary>
    public static RangeRequest FirstCreated(ByteString prefix) => new()
    {
        Key = prefix,
        RangeEnd = PrefixEnd(prefix),
        SortTarget = RangeRequest.Types.SortTarget.Create,
        SortOrder = RangeRequest.Types.SortOrder.Ascend,
        Limit = 1,
    };

    /// <summary>The key created last at or below <paramref name="maxCreateRevision"/>: the one to wait for
    /// (waitDeletes' WithLastCreate + WithMaxCreateRev).</summary>
    public static RangeRequest LastCreatedUpTo(ByteString prefix, long maxCreateRevision) => new()
    {
        Key = prefix,
        RangeEnd = PrefixEnd(prefix),
        SortTarget = RangeRequest.Types.SortTarget.Create,
        SortOrder = RangeRequest.Types.SortOrder.Descend,
        MaxCreateRevision = maxCreateRevision,
        Limit = 1,
    };

    public static Compare CreateRevisionIs(ByteString key, long revision) => new()
    {
        Key = key,
        Target = Compare.Types.CompareTarget.Create,
        Result = Compare.Types.CompareResult.Equal,
        CreateRevision = revision,
    };

    private static ByteString Join(ByteString head, ReadOnlySpan<byte> tail)
    {
        var joined = new byte[head.Length + tail.Length];
        head.Span.CopyTo(joined);
        tail.CopyTo(joined.AsSpan(head.Length));
        return UnsafeByteOperations.UnsafeWrap(joined);
    }
}
