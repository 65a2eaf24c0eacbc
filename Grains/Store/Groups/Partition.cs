namespace Coordinator.Grains.Store.Groups;

/// <summary>
/// A key prefix split off the default group into its own Raft group: every key that starts with
/// <see cref="Prefix"/>, i.e. the interval [Prefix, <see cref="End"/>). Immutable.
/// </summary>
/// <param name="Replicas">The members holding a replica of the group, in ascending id order.</param>
public sealed record Partition(byte[] Prefix, ulong Group, IReadOnlyList<ulong> Replicas)
{
    /// <summary>The exclusive end of the prefix's interval (etcd's prefix range end); null when unbounded
    /// (a prefix of only 0xff bytes).</summary>
    public byte[]? End { get; } = PrefixEnd(Prefix);

    public bool Contains(ReadOnlySpan<byte> key) => key.StartsWith(Prefix);

    /// <summary>etcd's GetPrefixRangeEnd: the prefix with its last byte below 0xff incremented and what follows
    /// dropped; null (unbounded) when every byte is 0xff.</summary>
    public static byte[]? PrefixEnd(ReadOnlySpan<byte> prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] == 0xff) continue;
            var end = prefix[..(i + 1)].ToArray();
            end[i]++;
            return end;
        }
        return null;
    }

    public override string ToString() => $"group {Group} (prefix {GroupMap.Printable(Prefix)})";
}
