namespace Coordinator.Tests.Simulation;

internal sealed partial class MultiGroupSimulator
{
    /// <summary>Heals everything, gives every disk its usual speed and restarts every member; then each
    /// group's clients retry every proposal never acknowledged plus a few new ones at that group's leader, and
    /// in every group all must commit — and every replica catch up — in time.</summary>
    private void RunLiveness()
    {
        _liveness = true;
        Network.Heal();
        Network.DropRate = 0;
        Network.DuplicateRate = 0;
        Network.MaxDelay = 5;
        Trace("liveness phase: network healed, restarting every member");
        foreach (var m in _members.Values)
        {
            m.MaxFsyncMs = m.BaseFsyncMs;
            if (!m.Alive) StartMember(m);
        }
        var outstanding = new Dictionary<SimGroup, HashSet<ulong>>();
        foreach (var g in _groups)
        {
            var ids = g.Clients.Accepted.Where(id => !g.Clients.IsSettled(id)).ToHashSet();
            for (var i = 0; i < 5; i++) ids.Add(NewProposal(g));
            outstanding[g] = ids;
        }
        var start = Events.Now;
        var lastTry = new Dictionary<ulong, (ulong Leader, long At)>();
        void Retry()
        {
            // A client retries at its group's leader when its last attempt went elsewhere or timed out.
            foreach (var (g, ids) in outstanding)
            {
                ids.RemoveWhere(g.Clients.IsSettled);
                if (g.Leader is not { } leader) continue;
                foreach (var id in ids)
                {
                    if (lastTry.TryGetValue(id, out var t) && t.Leader == leader.Id && Events.Now - t.At < 1000) continue;
                    lastTry[id] = (leader.Id, Events.Now);
                    Trace($"g{g.Id} retry {id} at {leader.Id}: {leader.Propose(g.Clients.ProposalFor(id)).Reason}");
                }
            }
            Events.After(50, Retry);
        }
        Events.After(1, Retry);
        Events.RunUntil(start + LivenessBoundMs, () => outstanding.All(o => Converged(o.Key, o.Value)));
        foreach (var (g, ids) in outstanding)
        {
            if (Converged(g, ids)) continue;
            var leader = g.Leader;
            throw new SimulationFailure(
                $"liveness: group {g.Id}, {LivenessBoundMs / TickMs} ticks after healing, leader={leader?.Id.ToString() ?? "none"}, " +
                $"{ids.Count} proposals uncommitted ({string.Join(",", ids.Take(10))}), replicas: {string.Join("; ", g.Replicas)}; " +
                $"leader progress: {(leader is null ? "-" : string.Join("; ", leader.Replica!.Status().Progress.Select(p => $"{p.Key}: {p.Value}")))}");
        }
        foreach (var g in _groups)
        {
            var members = g.Leader!.Replica!.Membership.All.Select(g.Replica).ToList();
            g.Checkers.ForEach(c => c.Final(members, g.History.MaxAckedIndex));
        }
        Trace($"converged after {Events.Now - start}ms");
    }

    private static bool Converged(SimGroup g, HashSet<ulong> outstanding)
    {
        outstanding.RemoveWhere(g.Clients.IsSettled);
        if (outstanding.Count > 0 || g.Leader is not { } leader) return false;
        var commit = leader.Replica!.Committed;
        foreach (var id in leader.Replica.Membership.All)
        {
            var r = g.Replica(id);
            if (!r.Alive || r.Replica!.Leader != leader.Id || r.StateMachine.AppliedIndex < commit) return false;
        }
        return commit >= g.History.MaxAckedIndex;
    }
}
