using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Simulation;

/// <summary>
/// One seeded run: a cluster of 1, 3, 5 or 7 voters (plus learners) under a random workload of proposals,
/// reads, membership changes and leader transfers, with crashes, partitions, drops and duplicates
/// (safety phase); then the network heals and every member restarts, and progress must resume within a
/// bounded time (liveness phase). Everything random comes from one Random(seed): a seed replays exactly.
/// </summary>
internal sealed partial class Simulator
{
    public const int TickMs = 10;
    public const int ElectionTicks = 10;
    public const long SafetyPhaseMs = 6_000;
    public const long LivenessBoundMs = 5_000;

    private readonly Dictionary<ulong, SimNode> _nodes = new();
    private readonly Queue<string> _recentTrace = new();
    private readonly List<string>? _fullTrace;
    private ulong _nextNodeId = 1;
    private ulong _nextProposal = 1;
    private ulong _nextReadContext = 1;
    private bool _liveness;

    public int Seed { get; }
    public Random Random { get; }
    public EventQueue Events { get; } = new();
    public SimNetwork Network { get; }
    public SimHistory History { get; } = new();
    public List<InvariantChecker> Checkers { get; }
    public LinearizableReadChecker Reads { get; } = new();
    public MembershipChecker Memberships { get; } = new();
    public SimulationStats Stats { get; } = new();
    /// <summary>Fault injected into the host, to prove the checkers catch a broken Ready contract.</summary>
    public bool UnsafeSendBeforePersist { get; init; }
    /// <summary>Off: the state machine applies every entry, duplicates too (as before it kept request sessions),
    /// to prove the at-most-once checker catches what the faults produce.</summary>
    public bool AtMostOnce { get; init; } = true;
    public int SnapshotEvery { get; }

    public Simulator(int seed, bool fullTrace = false)
    {
        Seed = seed;
        Random = new Random(seed);
        Network = new SimNetwork(Random, Events, hostOf: id => id, deliver: m =>
        {
            if (Node(m.To) is { Alive: true } node) node.Deliver(m);
        });
        _fullTrace = fullTrace ? new List<string>() : null;
        SnapshotEvery = 10 + Random.Next(40);
        _maxFsyncMs = new[] { 4, 15, 40 }[Random.Next(3)];
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
        };
    }

    public IReadOnlyList<string> Trace_ => (IReadOnlyList<string>?)_fullTrace ?? _recentTrace.ToList();

    public void Trace(string line)
    {
        var stamped = $"{Events.Now,6}ms {line}";
        if (_fullTrace is not null) { _fullTrace.Add(stamped); return; }
        if (_recentTrace.Count == 200) _recentTrace.Dequeue();
        _recentTrace.Enqueue(stamped);
    }

    public bool Verbose => _fullTrace is not null;

    public SimNode? Node(ulong id) => _nodes.GetValueOrDefault(id);
    private IEnumerable<SimNode> Live => _nodes.Values.Where(n => n.Alive);

    public ReplicaOptions ReplicaOptions(ulong id) => new()
    {
        Id = id,
        Group = 1,
        ElectionTicks = ElectionTicks,
        HeartbeatTicks = 1,
        RandomSeed = Random.Next(),
        MaxBytesPerAppend = 256 + Random.Next(2048),
        MaxInflightAppends = 2 + Random.Next(16),
        PreVote = true,
        CheckQuorum = true,
        PromoteMaxLag = 5,
    };

    /// <summary>Per seed, a fast, slow or very slow disk: the longer the fsync, the more a crash loses.</summary>
    private readonly int _maxFsyncMs;
    public long FsyncLatency() => 1 + Random.Next(_maxFsyncMs);

    public void Acknowledge(ulong proposalId, ulong index)
    {
        Stats.Acked++;
        Checkers.ForEach(c => c.OnAck(proposalId, index));
        Clients.Settle(proposalId);
    }

    /// <summary>Runs both phases; throws SimulationFailure on any violated invariant.</summary>
    public void Run()
    {
        Bootstrap();
        ScheduleClients();
        ScheduleFaults();
        SchedulePeriodicChecks();
        Events.RunUntil(SafetyPhaseMs);
        RunLiveness();
        Stats.Messages = Network.Sent;
        Stats.Held = Network.Held;
        Stats.ReadsServed = Reads.Served;
        Stats.MembershipChanges = Memberships.Changes;
    }

    /// <summary>The initial members all start with the same config entries at indexes 1..k (term 1, committed).</summary>
    private void Bootstrap()
    {
        var voters = new[] { 1, 3, 5, 7 }[Seed % 4];
        var learners = Random.Next(3);
        var changes = new List<ConfigChange>();
        for (var i = 0; i < voters + learners; i++)
            changes.Add(new ConfigChange(i < voters ? ConfigChangeType.AddVoter : ConfigChangeType.AddLearner, _nextNodeId + (ulong)i));
        var entries = changes.Select((cc, i) => new Entry((ulong)i + 1, 1, EntryType.ConfigChange, cc.Encode())).ToList();
        Trace($"bootstrap {voters} voters, {learners} learners, snapshot every {SnapshotEvery}, fsync up to {_maxFsyncMs}ms");
        foreach (var cc in changes)
        {
            var node = AddNode();
            node.Disk.Save(new HardState(1, 0, (ulong)entries.Count), entries);
            StartNode(node);
        }
    }

    private SimNode AddNode()
    {
        var node = new SimNode(this, _nextNodeId++);
        _nodes[node.Id] = node;
        return node;
    }

    private void StartNode(SimNode node)
    {
        node.Start();
        var generation = node.Generation;
        void TickLoop()
        {
            if (!node.Alive || node.Generation != generation) return;
            node.Tick();
            Events.After(TickMs, TickLoop);
        }
        Events.After(1 + Random.Next(TickMs), TickLoop);
    }

    /// <summary>The leader with the highest term among live members, if any.</summary>
    private SimNode? CurrentLeader() =>
        Live.Where(n => n.Replica!.Role == ReplicaRole.Leader).MaxBy(n => n.Replica!.Term);

    private SimNode? RandomLive()
    {
        var live = Live.ToList();
        return live.Count == 0 ? null : live[Random.Next(live.Count)];
    }

    private void SchedulePeriodicChecks()
    {
        void Check()
        {
            var live = Live.ToList();
            Checkers.ForEach(c => c.Periodic(live));
            Events.After(250, Check);
        }
        Events.After(250, Check);
    }
}

/// <summary>What a run exercised, so a test can show the simulation is not vacuous.</summary>
internal sealed class SimulationStats
{
    public int Elections;
    public int Acked;
    public int Crashes;
    public int Transfers;
    public int SnapshotsInstalled;
    public int ReadsServed;
    public int MembershipChanges;
    public int Retries;
    public int Abandoned;
    public int Duplicates;
    public long Messages;
    public long Held;

    public override string ToString() =>
        $"elections={Elections} acked={Acked} reads={ReadsServed} crashes={Crashes} transfers={Transfers} " +
        $"snapshots={SnapshotsInstalled} configChanges={MembershipChanges} retries={Retries} abandoned={Abandoned} " +
        $"duplicates={Duplicates} messages={Messages} held={Held}";
}
