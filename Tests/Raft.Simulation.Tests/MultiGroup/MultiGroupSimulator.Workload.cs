namespace Coordinator.Tests.Simulation;

internal sealed partial class MultiGroupSimulator
{
    private ulong _nextProposal = 1;
    private ulong _nextReadContext = 1;
    private bool _liveness;

    /// <summary>Each group has its own clients: proposals, reads and leader transfers at random replicas.</summary>
    private void ScheduleClients()
    {
        foreach (var group in _groups)
        {
            void Client()
            {
                if (_liveness) return;
                var roll = Random.Next(100);
                if (roll < 60) ProposeSomewhere(group);
                else if (roll < 80) ReadSomewhere(group);
                else if (roll < 82) TransferLeadership(group);
                Events.After(2 + Random.Next(ClientPauseMs), Client);
            }
            Events.After(1 + Random.Next(10), Client);
        }
    }

    private GroupReplica? RandomLive(SimGroup group)
    {
        var live = group.Live.ToList();
        return live.Count == 0 ? null : live[Random.Next(live.Count)];
    }

    private ulong NewProposal(SimGroup group)
    {
        var id = _nextProposal++;
        _groupOfProposal[id] = group.Id;
        group.Clients.Begin(id);
        return id;
    }

    private void ProposeSomewhere(SimGroup group)
    {
        if (RandomLive(group) is not { } replica) return;
        var id = NewProposal(group);
        if (!replica.Propose(group.Clients.ProposalFor(id)).Accepted) { group.Clients.Settle(id); return; }
        group.Clients.Accepted.Add(id);
        Events.After(100 + Random.Next(200), () => FollowUp(group, id, attempt: 1));
    }

    /// <summary>A client without an answer retries the same request at another replica of the same group,
    /// a few times, then gives up on it: its outcome stays unknown.</summary>
    private void FollowUp(SimGroup group, ulong id, int attempt)
    {
        if (_liveness || group.Clients.IsSettled(id)) return;
        if (attempt > 3 || RandomLive(group) is not { } replica)
        {
            Trace($"g{group.Id} client gives up on {id}");
            Stats.Abandoned++;
            group.Clients.Settle(id);
            return;
        }
        Stats.Retries++;
        Trace($"g{group.Id} client retries {id} at {replica.Id}: {replica.Propose(group.Clients.ProposalFor(id)).Reason}");
        Events.After(100 + Random.Next(300), () => FollowUp(group, id, attempt + 1));
    }

    private void ReadSomewhere(SimGroup group)
    {
        if (RandomLive(group) is not { } replica) return;
        replica.ReadIndex(_nextReadContext++, group.History.MaxAckedIndex);
    }

    private void TransferLeadership(SimGroup group)
    {
        if (group.Leader is not { } leader) return;
        var voters = leader.Replica!.Membership.Voters.Where(v => v != leader.Id).ToList();
        if (voters.Count == 0) return;
        var target = voters[Random.Next(voters.Count)];
        Trace($"g{group.Id} transfer leadership {leader.Id} -> {target}");
        Stats.Transfers++;
        leader.TransferLeadership(target);
    }
}
