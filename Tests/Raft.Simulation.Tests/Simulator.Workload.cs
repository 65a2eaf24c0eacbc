using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Simulation;

internal sealed partial class Simulator
{
    private const int MaxMembers = 9;
    public ClientRequests Clients { get; } = new();

    /// <summary>Clients: proposals, reads, membership changes and transfers at random members.</summary>
    private void ScheduleClients()
    {
        void Client()
        {
            if (_liveness) return;
            var roll = Random.Next(100);
            if (roll < 60) ProposeSomewhere();
            else if (roll < 80) ReadSomewhere();
            else if (roll < 85) ChangeMembership();
            else if (roll < 87) TransferLeadership();
            Events.After(2 + Random.Next(15), Client);
        }
        Events.After(1, Client);
    }

    private void ProposeSomewhere()
    {
        if (RandomLive() is not { } node) return;
        var id = _nextProposal++;
        Clients.Begin(id);
        if (!node.Propose(Clients.ProposalFor(id)).Accepted) { Clients.Settle(id); return; }
        Clients.Accepted.Add(id);
        Events.After(100 + Random.Next(200), () => FollowUp(id, attempt: 1));
    }

    /// <summary>A client without an answer retries the same request (same session and sequence number) at
    /// another member, a few times, then gives up on it: its outcome stays unknown.</summary>
    private void FollowUp(ulong id, int attempt)
    {
        if (_liveness || Clients.IsSettled(id)) return;
        if (attempt > 3 || RandomLive() is not { } node)
        {
            Trace($"client gives up on {id}");
            Stats.Abandoned++;
            Clients.Settle(id);
            return;
        }
        Stats.Retries++;
        Trace($"client retries {id} at {node.Id}: {node.Propose(Clients.ProposalFor(id)).Reason}");
        Events.After(100 + Random.Next(300), () => FollowUp(id, attempt + 1));
    }

    private void ReadSomewhere()
    {
        if (RandomLive() is not { } node) return;
        node.ReadIndex(_nextReadContext++, History.MaxAckedIndex);
    }

    private void TransferLeadership()
    {
        if (CurrentLeader() is not { } leader) return;
        var voters = leader.Replica!.Membership.Voters.Where(v => v != leader.Id).ToList();
        if (voters.Count == 0) return;
        var target = voters[Random.Next(voters.Count)];
        Trace($"transfer leadership {leader.Id} -> {target}");
        Stats.Transfers++;
        leader.TransferLeadership(target);
    }

    /// <summary>One single-member change through the leader: add a learner (a new, empty member), promote
    /// it, add a voter directly, or remove any member (the leader included).</summary>
    private void ChangeMembership()
    {
        if (CurrentLeader() is not { } leader) return;
        var m = leader.Replica!.Membership;
        var roll = Random.Next(100);
        ConfigChange cc;
        SimNode? joining = null;
        if (roll < 30 && !m.Learners.IsEmpty)
            cc = new ConfigChange(ConfigChangeType.PromoteLearner, m.Learners[Random.Next(m.Learners.Count)]);
        else if (roll < 60 && _nodes.Count < MaxMembers)
        {
            joining = AddNode();
            cc = new ConfigChange(roll < 50 ? ConfigChangeType.AddLearner : ConfigChangeType.AddVoter, joining.Id);
        }
        else if (m.Voters.Count + m.Learners.Count > 1)
        {
            var all = m.All.ToList();
            var target = all[Random.Next(all.Count)];
            if (m.IsVoter(target) && m.Voters.Count == 1) return;
            cc = new ConfigChange(ConfigChangeType.RemoveMember, target);
        }
        else return;
        if (joining is not null) StartNode(joining); // a new member starts empty and learns everything from the leader
        var result = leader.ProposeConfigChange(cc);
        Trace($"propose {cc} at {leader.Id}: {result.Reason}");
        if (!result.Accepted && joining is not null) joining.Stop("never added");
    }

    /// <summary>Faults: crashes (any member, the leader too) with later restarts, partitions (symmetric,
    /// one-way, leader isolation), heals, and changing drop/duplicate rates.</summary>
    private void ScheduleFaults()
    {
        void Fault()
        {
            if (_liveness) return;
            var roll = Random.Next(100);
            if (roll < 25) CrashSomeone();
            else if (roll < 40) PartitionRandomly();
            else if (roll < 50) IsolateLeader();
            else if (roll < 58) BlockOneWay();
            else if (roll < 75) { Network.Heal(); Trace("heal"); }
            else
            {
                Network.DropRate = Random.Next(4) == 0 ? 0 : Random.NextDouble() * 0.2;
                Network.DuplicateRate = Random.NextDouble() * 0.05;
                Network.HoldRate = Random.Next(3) == 0 ? 0 : Random.NextDouble();
                Network.MaxDelay = 1 + Random.Next(15);
            }
            Events.After(40 + Random.Next(120), Fault);
        }
        Events.After(100, Fault);
    }

    private void CrashSomeone()
    {
        var node = Random.Next(3) == 0 ? CurrentLeader() ?? RandomLive() : RandomLive();
        if (node is null) return;
        node.Crash();
        Events.After(20 + Random.Next(600), () => Restart(node));
    }

    private void Restart(SimNode node)
    {
        if (node.Alive || node.Removed) return;
        StartNode(node);
    }

    private void PartitionRandomly()
    {
        var ids = _nodes.Keys.ToList();
        var side = ids.Where(_ => Random.Next(2) == 0).ToList();
        Network.Partition(side, ids.Except(side).ToList());
        Trace($"partition ({string.Join(",", side)}) | rest");
    }

    private void IsolateLeader()
    {
        if (CurrentLeader() is not { } leader) return;
        Network.Isolate(leader.Id, _nodes.Keys);
        Trace($"isolate leader {leader.Id}");
    }

    private void BlockOneWay()
    {
        var ids = _nodes.Keys.ToList();
        var from = ids[Random.Next(ids.Count)];
        var to = ids[Random.Next(ids.Count)];
        if (from == to) return;
        Network.Block(from, to);
        Trace($"block {from} -> {to}");
    }

    /// <summary>Heals everything and restarts every member; then clients retry every proposal that was
    /// never acknowledged plus a few new ones, and all must commit — and every member catch up — in time.</summary>
    private void RunLiveness()
    {
        _liveness = true;
        Network.Heal();
        Network.DropRate = 0;
        Network.DuplicateRate = 0;
        Network.MaxDelay = 5;
        Trace("liveness phase: network healed, restarting every member");
        foreach (var n in _nodes.Values.Where(n => !n.Alive && !n.Removed)) StartNode(n);
        var outstanding = Clients.Accepted.Where(id => !Clients.IsSettled(id)).ToHashSet();
        for (var i = 0; i < 5; i++)
        {
            var id = _nextProposal++;
            Clients.Begin(id);
            outstanding.Add(id);
        }
        var start = Events.Now;
        var lastTry = new Dictionary<ulong, (ulong Leader, long At)>();
        void Retry()
        {
            // A client retries at the current leader when its last attempt went elsewhere or timed out.
            outstanding.RemoveWhere(Clients.IsSettled);
            if (CurrentLeader() is { } leader)
                foreach (var id in outstanding)
                {
                    if (lastTry.TryGetValue(id, out var t) && t.Leader == leader.Id && Events.Now - t.At < 1000) continue;
                    lastTry[id] = (leader.Id, Events.Now);
                    Trace($"retry {id} at {leader.Id}: {leader.Propose(Clients.ProposalFor(id)).Reason}");
                }
            Events.After(50, Retry);
        }
        Events.After(1, Retry);
        Events.RunUntil(start + LivenessBoundMs, () => Converged(outstanding));
        if (!Converged(outstanding))
        {
            var leader = CurrentLeader();
            throw new SimulationFailure(
                $"liveness: {LivenessBoundMs / TickMs} ticks after healing, leader={leader?.Id.ToString() ?? "none"}, " +
                $"{outstanding.Count} proposals uncommitted ({string.Join(",", outstanding.Take(10))}), members: {string.Join("; ", _nodes.Values)}; " +
                $"leader progress: {(leader is null ? "-" : string.Join("; ", leader.Replica!.Status().Progress.Select(p => $"{p.Key}: {p.Value}")))}");
        }
        var members = CurrentLeader()!.Replica!.Membership.All.Select(id => _nodes[id]).ToList();
        Checkers.ForEach(c => c.Final(members, History.MaxAckedIndex));
        Trace($"converged after {Events.Now - start}ms");
    }

    private bool Converged(HashSet<ulong> outstanding)
    {
        outstanding.RemoveWhere(Clients.IsSettled);
        if (outstanding.Count > 0 || CurrentLeader() is not { } leader) return false;
        var commit = leader.Replica!.Committed;
        foreach (var id in leader.Replica.Membership.All)
        {
            var n = _nodes[id];
            if (!n.Alive || n.Replica!.Leader != leader.Id || n.StateMachine.AppliedIndex < commit) return false;
        }
        return commit >= History.MaxAckedIndex;
    }
}
