using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Simulation;

/// <summary>One Raft group of the multi-group simulation: its replicas (one per hosting member, with ids of
/// its own), its clients, its history and its own set of checkers — every invariant holds per group.</summary>
internal sealed class SimGroup
{
    private readonly Dictionary<ulong, GroupReplica> _byId = new();

    public ulong Id { get; }
    /// <summary>The config entries every initial replica starts with (indexes 1..k).</summary>
    public ulong BootstrapEntries { get; set; }
    /// <summary>Replica ids are Id × 100 + slot; each new replica takes the next slot.</summary>
    public ulong NextSlot { get; set; } = 1;
    public MembershipChecker Memberships { get; } = new();
    public List<GroupReplica> Replicas { get; } = new();
    public SimHistory History { get; } = new();
    public ClientRequests Clients { get; } = new();
    public LinearizableReadChecker Reads { get; } = new();
    public List<InvariantChecker> Checkers { get; }

    public SimGroup(ulong id, IReadOnlyDictionary<ulong, ulong> groupOfProposal)
    {
        Id = id;
        Checkers = new List<InvariantChecker>
        {
            new ElectionSafetyChecker(),
            new LogMatchingChecker(),
            new LeaderCompletenessChecker(History),
            new StateMachineSafetyChecker(History),
            new DurabilityChecker(History),
            new AtMostOnceChecker(History),
            Reads,
            Memberships,
            new GroupIsolationChecker(id, groupOfProposal),
        };
    }

    public ulong NewReplicaId() => Id * 100 + NextSlot++;

    public void Add(GroupReplica replica)
    {
        Replicas.Add(replica);
        _byId[replica.Id] = replica;
    }

    public GroupReplica Replica(ulong id) => _byId[id];

    public IEnumerable<GroupReplica> Live => Replicas.Where(r => r.Alive);

    /// <summary>The leader with the highest term among live replicas, if any.</summary>
    public GroupReplica? Leader => Live.Where(r => r.Replica!.Role == ReplicaRole.Leader).MaxBy(r => r.Replica!.Term);

    public void Acknowledge(ulong proposalId, ulong index)
    {
        Checkers.ForEach(c => c.OnAck(proposalId, index));
        Clients.Settle(proposalId);
    }
}
