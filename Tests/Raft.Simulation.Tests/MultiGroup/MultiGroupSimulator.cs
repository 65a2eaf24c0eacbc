using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Simulation;

/// <summary>
/// One seeded run of several Raft groups over the same members: each member hosts one replica of each of its
/// groups and one shared WAL for all of them; each group has its own ids, leader, clients and checkers. The
/// network works per member pair (a partition cuts every group between two members), a crash takes a member's
/// replicas of every group down together and loses their unsynced WAL records together, and a slow disk slows
/// every group on its member. Safety phase, then liveness phase (every group must recover), as the
/// single-group <see cref="Simulator"/>. Everything random comes from one Random(seed): a seed replays exactly.
/// </summary>
internal sealed partial class MultiGroupSimulator
{
    public const int TickMs = Simulator.TickMs;
    public const int ElectionTicks = Simulator.ElectionTicks;
    public const long LivenessBoundMs = Simulator.LivenessBoundMs;

    private readonly SortedDictionary<ulong, SimMember> _members = new();
    private readonly List<SimGroup> _groups = new();
    /// <summary>The member hosting each replica id (replica ids are unique over all groups).</summary>
    private readonly Dictionary<ulong, ulong> _memberOf = new();
    /// <summary>The group each proposal was made to.</summary>
    private readonly Dictionary<ulong, ulong> _groupOfProposal = new();
    private readonly Queue<string> _recentTrace = new();
    private readonly List<string>? _fullTrace;

    public int Seed { get; }
    public int MemberCount { get; }
    public int GroupCount { get; }
    public Random Random { get; }
    public EventQueue Events { get; } = new();
    public SimNetwork Network { get; }
    public MultiGroupStats Stats { get; } = new();
    public int SnapshotEvery { get; }
    public long SafetyPhaseMs { get; init; } = 3_000;
    /// <summary>Off: no crashes, partitions, slow disks, lossy links or membership changes (a steady load, for
    /// counting fsyncs).</summary>
    public bool Faults { get; init; } = true;
    /// <summary>A group's client waits 2 .. 1 + this many ms between requests.</summary>
    public int ClientPauseMs { get; init; } = 15;
    /// <summary>A fault injected into the host, to prove the checkers catch a broken Ready or WAL contract.</summary>
    public WalBug Bug { get; init; }
    public IReadOnlyList<SimGroup> Groups => _groups;

    public MultiGroupSimulator(int seed, int members, int groups, bool fullTrace = false)
    {
        Seed = seed;
        MemberCount = members;
        GroupCount = groups;
        Random = new Random(seed);
        _fullTrace = fullTrace ? new List<string>() : null;
        Network = new SimNetwork(Random, Events, hostOf: id => _memberOf[id], deliver: m =>
        {
            if (_members[_memberOf[m.To]] is { Alive: true } member) member.Deliver(m);
        });
        SnapshotEvery = 10 + Random.Next(40);
    }

    public IReadOnlyList<string> Trace_ => (IReadOnlyList<string>?)_fullTrace ?? _recentTrace.ToList();
    public bool Verbose => _fullTrace is not null;

    public void Trace(string line)
    {
        var stamped = $"{Events.Now,6}ms {line}";
        if (_fullTrace is not null) { _fullTrace.Add(stamped); return; }
        if (_recentTrace.Count == 200) _recentTrace.Dequeue();
        _recentTrace.Enqueue(stamped);
    }

    public ReplicaOptions ReplicaOptions(ulong id, ulong group) => new()
    {
        Id = id,
        Group = group,
        ElectionTicks = ElectionTicks,
        HeartbeatTicks = 1,
        RandomSeed = Random.Next(),
        MaxBytesPerAppend = 256 + Random.Next(2048),
        MaxInflightAppends = 2 + Random.Next(16),
        PreVote = true,
        CheckQuorum = true,
        PromoteMaxLag = 5,
    };

    /// <summary>Runs both phases; throws SimulationFailure on any violated invariant.</summary>
    public void Run()
    {
        Bootstrap();
        ScheduleClients();
        if (Faults) ScheduleFaults();
        SchedulePeriodicChecks();
        Events.RunUntil(SafetyPhaseMs);
        RunLiveness();
        Stats.Messages = Network.Sent;
        Stats.Held = Network.Held;
        Stats.ReadsServed = _groups.Sum(g => g.Reads.Served);
        Stats.MembershipChanges = _groups.Sum(g => g.Memberships.Changes - (int)g.BootstrapEntries);
    }

    /// <summary>
    /// Members 1..N, each with a fast, slow or very slow disk. Group g has voters on all members or on a random
    /// subset of at least three (and now and then a learner on one more), with replica ids g×100 + 1, 2, … in a
    /// random order of its members: ids of its own, unrelated to the member ids. Each group starts with its config
    /// entries at indexes 1..k (term 1, committed) on the disks of its replicas.
    /// </summary>
    private void Bootstrap()
    {
        var fsyncMs = new[] { 4, 15, 40 };
        for (var m = 1UL; m <= (ulong)MemberCount; m++)
            _members[m] = new SimMember(this, m, fsyncMs[Random.Next(fsyncMs.Length)]);
        for (var g = 1UL; g <= (ulong)GroupCount; g++)
        {
            var group = new SimGroup(g, _groupOfProposal);
            _groups.Add(group);
            var order = _members.Keys.OrderBy(_ => Random.Next()).ToList();
            var voters = MemberCount <= 3 || Random.Next(2) == 0 ? MemberCount : 3 + Random.Next(MemberCount - 3);
            var learners = voters < MemberCount && Random.Next(3) == 0 ? 1 : 0;
            var changes = new List<ConfigChange>();
            for (var i = 0; i < voters + learners; i++)
            {
                var replicaId = group.NewReplicaId();
                changes.Add(new ConfigChange(i < voters ? ConfigChangeType.AddVoter : ConfigChangeType.AddLearner, replicaId));
                var member = _members[order[i]];
                var replica = new GroupReplica(this, group, member, replicaId);
                group.Add(replica);
                member.Replicas[g] = replica;
                _memberOf[replicaId] = member.Id;
            }
            var entries = changes.Select((cc, i) => new Entry((ulong)i + 1, 1, EntryType.ConfigChange, cc.Encode())).ToList();
            foreach (var r in group.Replicas) r.Disk.Bootstrap(new HardState(1, 0, (ulong)entries.Count), entries);
            group.BootstrapEntries = (ulong)entries.Count;
            Trace($"g{g}: {voters} voters, {learners} learners on {string.Join(",", group.Replicas.Select(r => $"{r.Id}@m{r.Member.Id}"))}");
        }
        Trace($"bootstrap {MemberCount} members ({string.Join(", ", _members.Values)}), {GroupCount} groups, snapshot every {SnapshotEvery}");
        foreach (var member in _members.Values) StartMember(member);
    }

    private void StartMember(SimMember member)
    {
        member.Start();
        var generation = member.Generation;
        void TickLoop()
        {
            if (!member.Alive || member.Generation != generation) return;
            member.Tick();
            Events.After(TickMs, TickLoop);
        }
        Events.After(1 + Random.Next(TickMs), TickLoop);
    }

    private SimMember? RandomLiveMember()
    {
        var live = _members.Values.Where(m => m.Alive).ToList();
        return live.Count == 0 ? null : live[Random.Next(live.Count)];
    }

    private void SchedulePeriodicChecks()
    {
        void Check()
        {
            foreach (var g in _groups)
            {
                var live = g.Live.ToList();
                g.Checkers.ForEach(c => c.Periodic(live));
            }
            var leaders = _groups.Select(g => g.Leader).OfType<GroupReplica>().CountBy(r => r.Member.Id).Select(c => c.Value);
            Stats.MaxLeadersOnOneMember = Math.Max(Stats.MaxLeadersOnOneMember, leaders.DefaultIfEmpty(0).Max());
            Events.After(250, Check);
        }
        Events.After(250, Check);
    }
}

/// <summary>What a multi-group run exercised, so a test can show the simulation is not vacuous.</summary>
internal sealed class MultiGroupStats
{
    public int Elections;
    public int Acked;
    public int Crashes;
    public int Transfers;
    public int SnapshotsInstalled;
    public int ReadsServed;
    public int Retries;
    public int Abandoned;
    public int Duplicates;
    public int SlowDisks;
    public int MembershipChanges;
    public long Messages;
    public long Held;
    public long Fsyncs;
    /// <summary>Fsyncs that made records of more than one group durable.</summary>
    public long SharedFsyncs;
    /// <summary>Unsynced WAL records a crash kept (a flushed prefix) and lost.</summary>
    public long UnsyncedKept;
    public long UnsyncedLost;
    /// <summary>Most groups led by one member at once, seen at the periodic checks.</summary>
    public int MaxLeadersOnOneMember;

    public void Add(MultiGroupStats s)
    {
        Elections += s.Elections; Acked += s.Acked; Crashes += s.Crashes; Transfers += s.Transfers;
        SnapshotsInstalled += s.SnapshotsInstalled; ReadsServed += s.ReadsServed; Retries += s.Retries;
        Abandoned += s.Abandoned; Duplicates += s.Duplicates; SlowDisks += s.SlowDisks; MembershipChanges += s.MembershipChanges; Messages += s.Messages;
        Held += s.Held; Fsyncs += s.Fsyncs; SharedFsyncs += s.SharedFsyncs; UnsyncedKept += s.UnsyncedKept;
        UnsyncedLost += s.UnsyncedLost; MaxLeadersOnOneMember = Math.Max(MaxLeadersOnOneMember, s.MaxLeadersOnOneMember);
    }

    public override string ToString() =>
        $"elections={Elections} acked={Acked} reads={ReadsServed} crashes={Crashes} transfers={Transfers} " +
        $"snapshots={SnapshotsInstalled} retries={Retries} abandoned={Abandoned} duplicates={Duplicates} " +
        $"configChanges={MembershipChanges} slowDisks={SlowDisks} messages={Messages} held={Held} fsyncs={Fsyncs} sharedFsyncs={SharedFsyncs} " +
        $"unsyncedKept={UnsyncedKept} unsyncedLost={UnsyncedLost} maxLeadersOnOneMember={MaxLeadersOnOneMember}";
}
