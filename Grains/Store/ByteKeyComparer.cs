namespace Coordinator.Grains.Store;

/// <summary>Orders keys as etcd does: unsigned bytes, lexicographically, shorter prefix first.</summary>
public sealed class ByteKeyComparer : IComparer<byte[]?>, IEqualityComparer<byte[]>
{
    public static readonly ByteKeyComparer Instance = new();

    public static int CompareKeys(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceCompareTo(b);

    public int Compare(byte[]? x, byte[]? y) => CompareKeys(x, y);

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj)
    {
        var h = new HashCode();
        h.AddBytes(obj);
        return h.ToHashCode();
    }
}
