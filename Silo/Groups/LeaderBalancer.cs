namespace Coordinator.Silo.Groups;

/// <summary>A group's leadership as the balancer sees it: its leader (0 = none known) and its voting members.</summary>
public sealed record GroupLeadership(ulong Group, ulong Leader, IReadOnlyList<ulong> Voters);

/// <summary>A planned leader transfer.</summary>
public readonly record struct LeaderTransfer(ulong Group, ulong From, ulong To);

/// <summary>
/// Plans leader transfers so that no healthy member leads more than its share of the groups: ceil(groups with a
/// leader / healthy members). Pure and deterministic (ties broken by the lowest id). A group moves at most once
/// per plan and only to a healthy voter of that group, so a plan never takes a group away from a quorum it has;
/// the host applies it with Replica.TransferLeadership on the leaders it hosts and plans again later.
/// </summary>
public static class LeaderBalancer
{
    public static IReadOnlyList<LeaderTransfer> Plan(IReadOnlyCollection<GroupLeadership> groups, IReadOnlySet<ulong> healthy, int maxTransfers = int.MaxValue)
    {
        var led = groups.Where(g => g.Leader != 0).ToList();
        if (healthy.Count == 0 || led.Count == 0) return Array.Empty<LeaderTransfer>();
        var share = (led.Count + healthy.Count - 1) / healthy.Count;
        var load = healthy.ToDictionary(m => m, _ => 0);
        foreach (var g in led)
            load[g.Leader] = load.GetValueOrDefault(g.Leader) + 1;
        var plan = new List<LeaderTransfer>();
        var moved = new HashSet<ulong>();
        // An unhealthy member's leaderships count as excess too: they are the first to move.
        foreach (var member in load.Keys.OrderByDescending(m => !healthy.Contains(m)).ThenByDescending(m => load[m]).ThenBy(m => m).ToList())
        {
            var limit = healthy.Contains(member) ? share : 0;
            foreach (var g in led.Where(g => g.Leader == member).OrderBy(g => g.Group))
            {
                if (load[member] <= limit || plan.Count >= maxTransfers) break;
                var target = g.Voters.Where(v => v != member && healthy.Contains(v) && load[v] < share)
                    .OrderBy(v => load[v]).ThenBy(v => v).Cast<ulong?>().FirstOrDefault();
                if (target is not { } to || !moved.Add(g.Group)) continue;
                plan.Add(new LeaderTransfer(g.Group, member, to));
                load[member]--;
                load[to]++;
            }
        }
        return plan;
    }
}
