using System.Text;
using Coordinator.Grains.Store;
using Coordinator.Grains.Store.Groups;
using Xunit;

namespace Coordinator.Tests.Store.Groups;

public sealed class GroupMapTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private static readonly byte[] FromKey = { 0 };

    private static GroupMap EventsAndLocks()
    {
        var map = new GroupMap();
        Assert.Equal(2UL, map.Add(B("/events/"), new ulong[] { 3, 1, 2 }).Group);
        Assert.Equal(3UL, map.Add(B("/locks/"), new ulong[] { 1 }).Group);
        return map;
    }

    [Fact]
    public void Every_key_has_the_group_of_the_partition_it_starts_with_else_the_default()
    {
        var map = EventsAndLocks();
        Assert.Equal(2UL, map.RouteKey(B("/events/a")));
        Assert.Equal(2UL, map.RouteKey(B("/events/")));
        Assert.Equal(GroupMap.DefaultGroup, map.RouteKey(B("/events")));
        Assert.Equal(3UL, map.RouteKey(B("/locks/x/y")));
        Assert.Equal(GroupMap.DefaultGroup, map.RouteKey(B("/config/a")));
        Assert.Equal(new ulong[] { 1, 2, 3 }, map.Partitions[0].Replicas);
    }

    [Fact]
    public void A_prefix_range_inside_a_partition_goes_to_it_and_one_across_a_boundary_names_the_groups()
    {
        var map = EventsAndLocks();
        Assert.Equal(GroupRoute.To(2), map.Route(B("/events/"), Partition.PrefixEnd(B("/events/"))));
        Assert.Equal(GroupRoute.To(2), map.Route(B("/events/a"), B("/events/b")));
        Assert.Equal(GroupRoute.To(GroupMap.DefaultGroup), map.Route(B("/a"), B("/c")));
        var across = map.Route(B("/a"), B("/events/b"));
        Assert.False(across.IsSingle);
        Assert.Equal(new ulong[] { 1, 2 }, across.Spanned);
        Assert.Equal("etcdserver: request spans Raft groups 1 (the default group), 2 (prefix \"/events/\"); send one request per group",
            map.SpanMessage(across));
        Assert.Equal(new ulong[] { 1, 2, 3 }, map.Route(FromKey, FromKey).Spanned); // every key
        Assert.Equal(new ulong[] { 1, 3 }, map.Route(B("/locks/a"), FromKey).Spanned);
        Assert.Equal(GroupRoute.To(3), map.Route(B("/locks/b"), B("/locks/a"))); // empty interval: the group of key
    }

    [Fact]
    public void A_txn_is_routed_only_when_all_its_selections_share_a_group()
    {
        var map = EventsAndLocks();
        Assert.Equal(GroupRoute.To(2), map.RouteAll(new[] { (B("/events/a"), Array.Empty<byte>()), (B("/events/b"), B("/events/c")) }));
        Assert.Equal(new ulong[] { 2, 3 }, map.RouteAll(new[] { (B("/events/a"), Array.Empty<byte>()), (B("/locks/a"), Array.Empty<byte>()) }).Spanned);
        Assert.Equal(GroupRoute.To(GroupMap.DefaultGroup), map.RouteAll(Array.Empty<(byte[], byte[])>()));
    }

    [Fact]
    public void Overlapping_empty_oversized_and_badly_replicated_partitions_are_refused_and_change_nothing()
    {
        var map = EventsAndLocks();
        var before = map.Encode();
        Assert.Contains("overlaps the partition \"/events/\" of group 2", Assert.Throws<GroupMapException>(() => map.Add(B("/events/x/"), new ulong[] { 1 })).Message);
        Assert.Contains("overlaps", Assert.Throws<GroupMapException>(() => map.Add(B("/ev"), new ulong[] { 1 })).Message);
        Assert.Contains("non-empty prefix", Assert.Throws<GroupMapException>(() => map.Add(Array.Empty<byte>(), new ulong[] { 1 })).Message);
        Assert.Contains("at most 1024 bytes", Assert.Throws<GroupMapException>(() => map.Add(new byte[GroupMap.MaxPrefixBytes + 1], new ulong[] { 1 })).Message);
        Assert.Contains("1 to 7 replicas", Assert.Throws<GroupMapException>(() => map.Add(B("/q/"), Array.Empty<ulong>())).Message);
        Assert.Contains("1 to 7 replicas", Assert.Throws<GroupMapException>(() => map.Add(B("/q/"), new ulong[] { 1, 2, 3, 4, 5, 6, 7, 8 })).Message);
        Assert.Contains("distinct and non-zero", Assert.Throws<GroupMapException>(() => map.Add(B("/q/"), new ulong[] { 1, 1 })).Message);
        Assert.Contains("no partition has the prefix \"/nope/\"", Assert.Throws<GroupMapException>(() => map.Remove(B("/nope/"))).Message);
        Assert.Equal(before, map.Encode());
        Assert.Equal(4UL, map.NextGroup);
    }

    [Fact]
    public void The_partition_count_is_bounded()
    {
        var map = new GroupMap();
        for (var i = 0; i < GroupMap.MaxPartitions; i++) map.Add(B($"/p{i:D5}/"), new ulong[] { 1 });
        Assert.Contains("at most 4096 partitions", Assert.Throws<GroupMapException>(() => map.Add(B("/last/"), new ulong[] { 1 })).Message);
        Assert.Equal(GroupMap.MaxPartitions, GroupMap.Decode(map.Encode()).Partitions.Count);
    }

    [Fact]
    public void Group_ids_are_never_reused_after_a_merge()
    {
        var map = EventsAndLocks();
        Assert.Equal(2UL, map.Remove(B("/events/")).Group);
        Assert.Equal(GroupMap.DefaultGroup, map.RouteKey(B("/events/a")));
        Assert.Equal(4UL, map.Add(B("/events/"), new ulong[] { 1 }).Group);
        var copy = GroupMap.Decode(map.Encode());
        Assert.Equal(5UL, copy.Add(B("/z/"), new ulong[] { 2 }).Group);
    }

    [Fact]
    public void The_encoding_round_trips_and_damage_is_refused()
    {
        var map = EventsAndLocks();
        map.Add(new byte[] { 0xff, 0xff }, new ulong[] { 2 }); // unbounded end
        map.SetReplicas(3, new ulong[] { 5, 4 });
        var bytes = map.Encode();
        var copy = GroupMap.Decode(bytes);
        Assert.Equal(bytes, copy.Encode());
        Assert.Equal(new ulong[] { 4, 5 }, copy.PartitionOf(3)!.Replicas);
        Assert.Null(copy.PartitionOf(4)!.End);
        Assert.Equal(new ulong[] { 1, 4 }, copy.Route(new byte[] { 0xfe }, FromKey).Spanned);
        Assert.Throws<InvalidDataException>(() => GroupMap.Decode(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Throws<InvalidDataException>(() => GroupMap.Decode(bytes.Concat(new byte[] { 1 }).ToArray()));
        var badVersion = (byte[])bytes.Clone(); badVersion[0] = 9;
        Assert.Throws<InvalidDataException>(() => GroupMap.Decode(badVersion));
        var empty = new GroupMap();
        Assert.Empty(GroupMap.Decode(empty.Encode()).Partitions);
    }

    /// <summary>Against a reference: a selection's groups are the groups of the points where the answer can
    /// change (its start, and every partition start and end inside it).</summary>
    [Fact]
    public void Routing_matches_a_reference_on_random_maps_and_ranges()
    {
        var random = new Random(20261207);
        byte[] RandomKey(int maxLength)
        {
            var alphabet = new byte[] { 0x00, 0x01, (byte)'a', (byte)'b', 0xfe, 0xff };
            var k = new byte[random.Next(1, maxLength + 1)];
            for (var i = 0; i < k.Length; i++) k[i] = alphabet[random.Next(alphabet.Length)];
            return k;
        }
        for (var round = 0; round < 2000; round++)
        {
            var map = new GroupMap();
            for (var i = random.Next(0, 6); i > 0; i--)
            {
                try { map.Add(RandomKey(2), new ulong[] { 1 }); } catch (GroupMapException) { }
            }
            var key = RandomKey(3);
            var end = random.Next(4) switch { 0 => Array.Empty<byte>(), 1 => FromKey, _ => RandomKey(3) };
            var route = map.Route(key, end);
            var actual = route.IsSingle ? new[] { route.Group } : route.Spanned.ToArray();
            Assert.Equal(Reference(map, key, end), actual);
        }
    }

    private static ulong[] Reference(GroupMap map, byte[] key, byte[] end)
    {
        if (end.Length == 0) return new[] { map.RouteKey(key) };
        var unbounded = end.SequenceEqual(FromKey);
        if (!unbounded && ByteKeyComparer.CompareKeys(end, key) <= 0) return new[] { map.RouteKey(key) };
        bool Inside(byte[] point) => ByteKeyComparer.CompareKeys(point, key) >= 0 && (unbounded || ByteKeyComparer.CompareKeys(point, end) < 0);
        var points = new List<byte[]> { key };
        foreach (var p in map.Partitions)
        {
            if (Inside(p.Prefix)) points.Add(p.Prefix);
            if (p.End is { } e && Inside(e)) points.Add(e);
        }
        return points.Select(p => map.RouteKey(p)).Distinct().Order().ToArray();
    }
}
