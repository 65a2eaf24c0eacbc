using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Coordinator.Silo.Cluster;

/// <summary>Member and cluster ids derived as etcd derives them, so they are stable across restarts:
/// a member id is the first 8 bytes (big-endian) of SHA-1(sorted peer URLs + cluster token); the cluster id
/// is the same over the sorted member ids.</summary>
public static class MemberIds
{
    public static ulong MemberId(IEnumerable<Uri> peerUrls, string clusterToken)
    {
        var urls = string.Join("", peerUrls.Select(u => u.ToString().TrimEnd('/')).Order(StringComparer.Ordinal));
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(urls + clusterToken));
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }

    public static ulong ClusterId(IEnumerable<ulong> memberIds)
    {
        var ids = memberIds.Order().ToArray();
        var bytes = new byte[8 * ids.Length];
        for (var i = 0; i < ids.Length; i++) BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8 * i), ids[i]);
        return BinaryPrimitives.ReadUInt64BigEndian(SHA1.HashData(bytes));
    }
}
