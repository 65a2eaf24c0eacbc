using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Simulation;

internal sealed partial class MultiGroupSimulator
{
    private ulong _nextProposal = 1;
    private ulong _nextReadContext = 1;
    private bool _liveness;

    /// <summary>Each group has its own clients: proposals, reads, membership changes and leader transfers.</summary>
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
                else if (roll < 85 && Faults) ChangeMembership(group);
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

    /// <summary>One single-replica change of a group through its leader: promote a learner, add a replica (learner
    /// or voter, new and empty) on a member not hosting the group — its records then share that member's WAL — or
    /// remove any replica (the leader included).</summary>
    private void ChangeMembership(SimGroup group)
    {
        if (group.Leader is not { } leader) return;
        var m = leader.Replica!.Membership;
        var roll = Random.Next(100);
        var hosts = _members.Values.Where(x => !x.Replicas.TryGetValue(group.Id, out var r) || r.Removed).ToList();
        ConfigChange cc;
        GroupReplica? joining = null;
        if (roll < 30 && !m.Learners.IsEmpty)
            cc = new ConfigChange(ConfigChangeType.PromoteLearner, m.Learners[Random.Next(m.Learners.Count)]);
        else if (roll < 60 && hosts.Count > 0)
        {
            var host = hosts[Random.Next(hosts.Count)];
            joining = new GroupReplica(this, group, host, group.NewReplicaId());
            group.Add(joining);
            host.Replicas[group.Id] = joining;
            _memberOf[joining.Id] = host.Id;
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
        // A new replica starts empty and learns everything from the leader (with its member, if that is down).
        if (joining is { Member.Alive: true }) joining.Start();
        var result = leader.ProposeConfigChange(cc);
        Trace($"g{group.Id} propose {cc} at {leader.Id}: {result.Reason}");
        if (!result.Accepted && joining is not null) joining.Stop("never added");
    }
}
