using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Raft.Harness;

/// <summary>
/// A seeded random run over a <see cref="Network"/>: ticks, proposals, message loss, duplication and
/// reordering, partitions and restarts, then a healed phase where a leader must emerge and commit.
/// <see cref="Observe"/> runs after every action so safety tests can check invariants as they go.
/// </summary>
public sealed class Chaos
{
    public Network Net { get; }
    public Random Rng { get; }
    /// <summary>Called after every action (and every delivery round).</summary>
    public Action<Network>? Observe { get; set; }

    public Chaos(int seed, int voters = 5)
    {
        Rng = new Random(seed);
        var prevote = Rng.Next(2) == 0;
        var checkQuorum = Rng.Next(2) == 0;
        Net = Network.Create(voters, o => o with { PreVote = prevote, CheckQuorum = checkQuorum, RandomSeed = seed * 31 + (int)o.Id });
    }

    public void Run(int steps = 1500)
    {
        var ids = Net.Nodes.Select(n => n.Id).ToArray();
        var proposals = 0;
        for (var i = 0; i < steps; i++)
        {
            var id = ids[Rng.Next(ids.Length)];
            var dice = Rng.Next(100);
            if (dice < 45) Net.Tick(id);
            else if (dice < 75) DeliverRound();
            else if (dice < 88) Net.Propose(id, $"p{proposals++}");
            else if (dice < 93) Net.Isolate(id);
            else if (dice < 96) Net.Recover();
            else if (dice < 98) Net.Cut(id, ids[Rng.Next(ids.Length)]);
            else Net.Restart(id);
            Observe?.Invoke(Net);
        }
    }

    private void DeliverRound()
    {
        var inflight = Net.InFlight;
        for (var i = inflight.Count - 1; i > 0; i--) // reorder
        {
            var j = Rng.Next(i + 1);
            (inflight[i], inflight[j]) = (inflight[j], inflight[i]);
        }
        if (inflight.Count > 0 && Rng.Next(10) == 0) inflight.Add(inflight[Rng.Next(inflight.Count)]); // duplicate
        Net.DropIf = _ => Rng.Next(10) == 0;
        try { Net.Deliver(); }
        finally { Net.DropIf = null; }
    }

    /// <summary>Heals the network and ticks everyone until a leader commits a fresh proposal everywhere.</summary>
    public Node Heal()
    {
        Net.Recover();
        Net.InFlight.Clear();
        for (var round = 0; round < 500; round++)
        {
            Net.TickAll(1);
            Observe?.Invoke(Net);
            var leader = Net.Leader();
            if (leader is null || leader.Replica.Term < Net.Nodes.Max(n => n.Replica.Term)) continue;
            var r = Net.Propose(leader.Id, "after-heal");
            Net.Stabilize();
            Observe?.Invoke(Net);
            if (r.Outcome == ProposeOutcome.Appended && Net.Nodes.All(n => n.AppliedIndex >= r.Index)) return leader;
        }
        throw new InvalidOperationException("no progress after healing: " + string.Join("; ", Net.Nodes));
    }
}
