using System.Text;

namespace Coordinator.Grains.Store.Groups;

/// <summary>
/// Which Raft group serves which keys: the default group serves every key outside the partitions; each
/// partition (a prefix split off by an operator) is served by its own group. Deterministic state of the root
/// group: the same commands give the same map on every member.
/// <para>
/// Invariants: partitions are sorted by prefix and pairwise disjoint (no prefix is a prefix of another), so
/// each key has exactly one group; group ids are issued in increasing order and never reused, so a removed
/// group's records (in a WAL, in Redis) can never be mistaken for a later group's.
/// </para>
/// </summary>
public sealed class GroupMap
{
    /// <summary>The group that serves every key no partition covers (today's single group).</summary>
    public const ulong DefaultGroup = 1;
    public const int MaxPartitions = 4096;
    public const int MaxPrefixBytes = 1024;
    public const int MaxReplicas = 7;
    private const byte FormatVersion = 1;

    private readonly List<Partition> _partitions = new(); // sorted by prefix
    private ulong _nextGroup = DefaultGroup + 1;

    public IReadOnlyList<Partition> Partitions => _partitions;

    /// <summary>The id the next partition will get.</summary>
    public ulong NextGroup => _nextGroup;

    /// <summary>The group of a single key.</summary>
    public ulong RouteKey(ReadOnlySpan<byte> key) => Find(key)?.Group ?? DefaultGroup;

    /// <summary>The group of etcd's key selection: <paramref name="rangeEnd"/> empty is the single key, "\0" is
    /// every key &gt;= key, anything else the interval [key, rangeEnd). An empty interval goes to the group of key.</summary>
    public GroupRoute Route(ReadOnlySpan<byte> key, ReadOnlySpan<byte> rangeEnd)
    {
        if (rangeEnd.IsEmpty) return GroupRoute.To(RouteKey(key));
        var unbounded = rangeEnd.Length == 1 && rangeEnd[0] == 0;
        if (!unbounded && ByteKeyComparer.CompareKeys(rangeEnd, key) <= 0) return GroupRoute.To(RouteKey(key));
        var groups = new SortedSet<ulong>();
        // Walk the partitions that intersect [key, end), noting any gap between them: gaps are the default group's.
        var cursor = key.ToArray();
        var cursorUnbounded = false;
        foreach (var p in _partitions)
        {
            if (p.End is not null && ByteKeyComparer.CompareKeys(p.End, key) <= 0) continue; // wholly before
            if (!unbounded && ByteKeyComparer.CompareKeys(p.Prefix, rangeEnd) >= 0) break;  // wholly after
            if (ByteKeyComparer.CompareKeys(p.Prefix, cursor) > 0) groups.Add(DefaultGroup);
            groups.Add(p.Group);
            if (p.End is null) { cursorUnbounded = true; break; }
            if (ByteKeyComparer.CompareKeys(p.End, cursor) > 0) cursor = p.End;
        }
        if (!cursorUnbounded && (unbounded || ByteKeyComparer.CompareKeys(cursor, rangeEnd) < 0)) groups.Add(DefaultGroup);
        return groups.Count == 1 ? GroupRoute.To(groups.Min) : new GroupRoute(0, groups.ToArray());
    }

    /// <summary>The one group serving every selection (a Txn's compares and operations), or the groups spanned.</summary>
    public GroupRoute RouteAll(IEnumerable<(byte[] Key, byte[] RangeEnd)> selections)
    {
        var groups = new SortedSet<ulong>();
        foreach (var (key, end) in selections)
        {
            var r = Route(key, end);
            if (r.IsSingle) groups.Add(r.Group);
            else groups.UnionWith(r.Spanned);
        }
        if (groups.Count == 0) return GroupRoute.To(DefaultGroup);
        return groups.Count == 1 ? GroupRoute.To(groups.Min) : new GroupRoute(0, groups.ToArray());
    }

    public Partition? PartitionOf(ulong group) => _partitions.Find(p => p.Group == group);

    /// <summary>Splits <paramref name="prefix"/> off into a new group on <paramref name="replicas"/>; returns it.</summary>
    public Partition Add(ReadOnlySpan<byte> prefix, IEnumerable<ulong> replicas)
    {
        if (prefix.IsEmpty) throw new GroupMapException("a partition needs a non-empty prefix (the default group serves the rest)");
        if (prefix.Length > MaxPrefixBytes) throw new GroupMapException($"a partition prefix is at most {MaxPrefixBytes} bytes");
        if (_partitions.Count >= MaxPartitions) throw new GroupMapException($"at most {MaxPartitions} partitions");
        var members = replicas.ToArray();
        if (members.Length == 0 || members.Length > MaxReplicas)
            throw new GroupMapException($"a partition needs 1 to {MaxReplicas} replicas");
        if (members.Contains(0UL) || members.Distinct().Count() != members.Length)
            throw new GroupMapException("replica member ids must be distinct and non-zero");
        foreach (var p in _partitions)
        {
            if (prefix.StartsWith(p.Prefix) || p.Prefix.AsSpan().StartsWith(prefix))
                throw new GroupMapException($"prefix {Printable(prefix)} overlaps the partition {Printable(p.Prefix)} of group {p.Group}");
        }
        Array.Sort(members);
        var partition = new Partition(prefix.ToArray(), _nextGroup++, members);
        var at = _partitions.FindIndex(p => ByteKeyComparer.CompareKeys(p.Prefix, partition.Prefix) > 0);
        _partitions.Insert(at < 0 ? _partitions.Count : at, partition);
        return partition;
    }

    /// <summary>Merges the partition of exactly <paramref name="prefix"/> back into the default group; returns it.</summary>
    public Partition Remove(ReadOnlySpan<byte> prefix)
    {
        var at = IndexOf(prefix);
        if (at < 0) throw new GroupMapException($"no partition has the prefix {Printable(prefix)}");
        var p = _partitions[at];
        _partitions.RemoveAt(at);
        return p;
    }

    /// <summary>Moves a partition's replicas (membership changes of its group); the prefix and id stay.</summary>
    public Partition SetReplicas(ulong group, IEnumerable<ulong> replicas)
    {
        var at = _partitions.FindIndex(p => p.Group == group);
        if (at < 0) throw new GroupMapException($"no partition is served by group {group}");
        var members = replicas.Distinct().Order().ToArray();
        if (members.Length == 0 || members.Length > MaxReplicas || members.Contains(0UL))
            throw new GroupMapException($"a partition needs 1 to {MaxReplicas} distinct non-zero replicas");
        return _partitions[at] = _partitions[at] with { Replicas = members };
    }

    private Partition? Find(ReadOnlySpan<byte> key)
    {
        foreach (var p in _partitions)
        {
            if (p.Contains(key)) return p;
            if (ByteKeyComparer.CompareKeys(p.Prefix, key) > 0) break; // sorted: later prefixes start after key
        }
        return null;
    }

    private int IndexOf(ReadOnlySpan<byte> prefix)
    {
        for (var i = 0; i < _partitions.Count; i++)
            if (_partitions[i].Prefix.AsSpan().SequenceEqual(prefix)) return i;
        return -1;
    }

    /// <summary>The map as bytes for the root group's snapshot.</summary>
    public byte[] Encode()
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(FormatVersion);
            w.Write7BitEncodedInt64((long)_nextGroup);
            w.Write7BitEncodedInt(_partitions.Count);
            foreach (var p in _partitions)
            {
                w.Write7BitEncodedInt(p.Prefix.Length);
                w.Write(p.Prefix);
                w.Write7BitEncodedInt64((long)p.Group);
                w.Write7BitEncodedInt(p.Replicas.Count);
                foreach (var r in p.Replicas) w.Write7BitEncodedInt64((long)r);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>Reads a map written by <see cref="Encode"/>, checking every invariant; throws
    /// <see cref="InvalidDataException"/> for anything else.</summary>
    public static GroupMap Decode(ReadOnlySpan<byte> bytes)
    {
        var map = new GroupMap();
        using var r = new BinaryReader(new MemoryStream(bytes.ToArray()));
        try
        {
            if (r.ReadByte() != FormatVersion) throw new InvalidDataException("unsupported group map version");
            var next = (ulong)r.Read7BitEncodedInt64();
            var count = r.Read7BitEncodedInt();
            if (count < 0 || count > MaxPartitions) throw new InvalidDataException("bad group map partition count");
            for (var i = 0; i < count; i++)
            {
                var length = r.Read7BitEncodedInt();
                if (length <= 0 || length > MaxPrefixBytes) throw new InvalidDataException("bad group map prefix length");
                var prefix = r.ReadBytes(length);
                if (prefix.Length != length) throw new EndOfStreamException();
                var group = (ulong)r.Read7BitEncodedInt64();
                var replicas = new ulong[r.Read7BitEncodedInt()];
                for (var j = 0; j < replicas.Length; j++) replicas[j] = (ulong)r.Read7BitEncodedInt64();
                if (group <= DefaultGroup || map._partitions.Any(p => p.Group == group)) throw new InvalidDataException("bad group map group id");
                map._nextGroup = group; // Add issues exactly this id, so the ids round-trip
                map.Add(prefix, replicas);
            }
            if (next < map._nextGroup || map._partitions.Any(p => p.Group >= next)) throw new InvalidDataException("bad group map next group id");
            map._nextGroup = next;
            if (r.BaseStream.Position != r.BaseStream.Length) throw new InvalidDataException("trailing bytes after the group map");
            return map;
        }
        catch (Exception e) when (e is EndOfStreamException or GroupMapException or FormatException)
        {
            throw new InvalidDataException($"damaged group map: {e.Message}", e);
        }
    }

    /// <summary>A prefix for messages: quoted UTF-8 when printable, else hex.</summary>
    public static string Printable(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
            if (b < 0x20 || b >= 0x7f) return "0x" + Convert.ToHexString(bytes);
        return "\"" + Encoding.ASCII.GetString(bytes) + "\"";
    }

    /// <summary>INVALID_ARGUMENT text for a request that spans groups (etcd has no such error: ours).</summary>
    public string SpanMessage(GroupRoute route) =>
        "etcdserver: request spans Raft groups " + string.Join(", ", route.Spanned.Select(Describe)) +
        "; send one request per group";

    private string Describe(ulong group) =>
        group == DefaultGroup ? $"{group} (the default group)" : PartitionOf(group) is { } p ? $"{group} (prefix {Printable(p.Prefix)})" : group.ToString();
}
