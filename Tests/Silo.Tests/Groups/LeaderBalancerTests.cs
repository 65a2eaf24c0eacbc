using Coordinator.Silo.Groups;
using Xunit;

namespace Coordinator.Tests.Silo.Groups;

public sealed class LeaderBalancerTests
{
    private static readonly ulong[] Three = { 1, 2, 3 };
    private static readonly IReadOnlySet<ulong> AllHealthy = new HashSet<ulong>(Three);

    private static Dictionary<ulong, int> LoadsAfter(IEnumerable<GroupLeadership> groups, IEnumerable<LeaderTransfer> plan)
    {
        var leaders = groups.ToDictionary(g => g.Group, g => g.Leader);
        foreach (var t in plan) { Assert.Equal(t.From, leaders[t.Group]); leaders[t.Group] = t.To; }
        return leaders.Values.Where(l => l != 0).GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
    }

    [Fact]
    public void Eight_groups_led_by_one_member_are_spread_to_at_most_their_share_each()
    {
        var groups = Enumerable.Range(1, 8).Select(g => new GroupLeadership((ulong)g, 1, Three)).ToList();
        var plan = LeaderBalancer.Plan(groups, AllHealthy);
        var loads = LoadsAfter(groups, plan);
        Assert.All(loads.Values, n => Assert.True(n <= 3, $"a member leads {n} of 8 groups on 3 members"));
        Assert.Equal(5, plan.Count);
        Assert.Equal(plan.Count, plan.Select(t => t.Group).Distinct().Count());
    }

    [Fact]
    public void A_balanced_cluster_needs_no_transfer()
    {
        var groups = Enumerable.Range(1, 6).Select(g => new GroupLeadership((ulong)g, (ulong)(g % 3) + 1, Three)).ToList();
        Assert.Empty(LeaderBalancer.Plan(groups, AllHealthy));
    }

    [Fact]
    public void Leadership_moves_only_to_a_healthy_voter_of_the_group()
    {
        var groups = Enumerable.Range(1, 4).Select(g => new GroupLeadership((ulong)g, 1, new ulong[] { 1, 2 })).ToList();
        var plan = LeaderBalancer.Plan(groups, new HashSet<ulong> { 1, 2, 3 });
        Assert.All(plan, t => Assert.Equal(2UL, t.To)); // 3 is healthy but holds no replica of these groups
        Assert.Empty(LeaderBalancer.Plan(groups, new HashSet<ulong> { 1, 3 })); // 2 is down
    }

    [Fact]
    public void Groups_without_a_leader_are_left_alone_and_the_plan_is_bounded()
    {
        var groups = Enumerable.Range(1, 9).Select(g => new GroupLeadership((ulong)g, g <= 6 ? 1UL : 0UL, Three)).ToList();
        var plan = LeaderBalancer.Plan(groups, AllHealthy, maxTransfers: 2);
        Assert.Equal(2, plan.Count);
        Assert.All(plan, t => Assert.True(t.Group <= 6));
    }

    [Fact]
    public void With_every_member_a_voter_of_every_group_the_plan_always_reaches_the_share()
    {
        var random = new Random(7);
        for (var round = 0; round < 500; round++)
        {
            var members = Enumerable.Range(1, random.Next(1, 8)).Select(m => (ulong)m).ToArray();
            var groups = Enumerable.Range(1, random.Next(1, 40))
                .Select(g => new GroupLeadership((ulong)g, members[random.Next(members.Length)], members)).ToList();
            var healthy = new HashSet<ulong>(members);
            var plan = LeaderBalancer.Plan(groups, healthy);
            Assert.Equal(plan, LeaderBalancer.Plan(groups, healthy)); // deterministic
            var share = (groups.Count + members.Length - 1) / members.Length;
            Assert.All(LoadsAfter(groups, plan).Values, n => Assert.True(n <= share));
        }
    }
}
