namespace Coordinator.Grains.Store.Auth;

/// <summary>
/// A union of key intervals [begin, end) as etcd's range-permission cache keeps it (an "affine" interval tree:
/// an empty end is +infinity). Built once per auth change; immutable, so reads need no lock.
/// Invariant: <see cref="_merged"/> is sorted by begin and no two of its intervals touch or overlap.
/// </summary>
public sealed class KeyIntervals
{
    public static readonly KeyIntervals Empty = new([]);

    private readonly (byte[] Begin, byte[] End)[] _merged;

    private KeyIntervals((byte[] Begin, byte[] End)[] merged) => _merged = merged;

    /// <summary>Merges intervals; an interval whose (non-empty) end is not after its begin covers nothing.</summary>
    public static KeyIntervals Of(IEnumerable<(byte[] Begin, byte[] End)> intervals)
    {
        var sorted = intervals.Where(i => i.End.Length == 0 || ByteKeyComparer.Instance.Compare(i.Begin, i.End) < 0)
            .OrderBy(i => i.Begin, ByteKeyComparer.Instance).ToList();
        var merged = new List<(byte[] Begin, byte[] End)>();
        foreach (var interval in sorted)
        {
            if (merged.Count > 0 && CompareEnd(merged[^1].End, interval.Begin) >= 0)
            {
                var last = merged[^1];
                if (CompareEnds(interval.End, last.End) > 0) merged[^1] = (last.Begin, interval.End);
            }
            else merged.Add(interval);
        }
        return new KeyIntervals(merged.ToArray());
    }

    /// <summary>The permission's interval as etcd reads it: no end = the single key; end "\0" = every key from begin.</summary>
    public static (byte[] Begin, byte[] End) FromPermission(byte[] key, byte[] rangeEnd) =>
        rangeEnd.Length == 0 ? (key, PointEnd(key))
        : rangeEnd is [0] ? (key, [])
        : (key, rangeEnd);

    /// <summary>Whether the union covers a request's range (no end: the key; end "\0": every key from key).</summary>
    public bool Covers(byte[] key, byte[] rangeEnd)
    {
        var (begin, end) = rangeEnd.Length == 0 ? (key, PointEnd(key)) : rangeEnd is [0] ? (key, Array.Empty<byte>()) : (key, rangeEnd);
        foreach (var (b, e) in _merged)
        {
            if (ByteKeyComparer.Instance.Compare(b, begin) > 0) return false;
            if (CompareEnds(e, end) >= 0 && CompareEnd(e, begin) > 0) return true;
        }
        return false;
    }

    public int Count => _merged.Length;

    private static byte[] PointEnd(byte[] key)
    {
        var end = new byte[key.Length + 1];
        key.CopyTo(end, 0);
        return end;
    }

    // Ends compare with empty = +infinity.
    private static int CompareEnds(byte[] a, byte[] b) =>
        a.Length == 0 ? (b.Length == 0 ? 0 : 1) : b.Length == 0 ? -1 : ByteKeyComparer.Instance.Compare(a, b);

    private static int CompareEnd(byte[] end, byte[] key) => end.Length == 0 ? 1 : ByteKeyComparer.Instance.Compare(end, key);
}
