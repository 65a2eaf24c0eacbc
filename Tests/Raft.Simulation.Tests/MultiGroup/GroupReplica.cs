using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Simulation;

/// <summary>
/// The replica of one group on one member, and the host loop that follows the Ready contract through the
/// member's shared WAL: queue the Ready's records; once the fsync covering them is done, send, apply, Advance.
/// (A leader whose term and vote are unchanged may send first, as <see cref="Ready.MessagesMayPrecedePersist"/>
/// allows.) Its id is its own in its group; the member is where it runs.
/// </summary>
internal sealed class GroupReplica : ISimReplica
{
    private readonly MultiGroupSimulator _sim;
    private Ready? _persisting;
    private bool _sentEarly;
    private ulong _readyTerm; // the replica's term when it handed out the Ready in flight
    private readonly Dictionary<ulong, ulong> _readStartAck = new(); // read ctx → max acked index when it began
    private readonly List<ReadState> _readsAwaitingApply = new();
    private ulong _lastSnapshotIndex;
    private bool _removedSelf;
    private bool _stopScheduled;

    public ulong Id { get; }
    public SimGroup Group { get; }
    public SimMember Member { get; }
    public GroupDisk Disk { get; } = new();
    public Replica? Replica { get; private set; }
    public SimStateMachine StateMachine { get; }
    public Membership TrackedMembership { get; private set; } = Membership.Empty;
    public bool Alive => Replica is not null;
    /// <summary>Removed from its group and stopped for good (as a real replica stops itself).</summary>
    public bool Removed { get; private set; }
    /// <summary>Proposal ids a client is waiting for at this replica.</summary>
    public readonly HashSet<ulong> PendingProposals = new();

    public GroupReplica(MultiGroupSimulator sim, SimGroup group, SimMember member, ulong id)
    {
        _sim = sim;
        Group = group;
        Member = member;
        Id = id;
        StateMachine = new SimStateMachine();
    }

    private string Name => $"g{Group.Id}/{Id}@m{Member.Id}";

    public void Start()
    {
        var disk = Disk.Live;
        StateMachine.Restore(disk.Snapshot);
        TrackedMembership = disk.Snapshot.Metadata.Membership;
        _lastSnapshotIndex = disk.Snapshot.Metadata.Index;
        Replica = new Replica(_sim.ReplicaOptions(Id, Group.Id), disk);
        _sim.Trace($"{Name} start {Replica}");
        Pump();
    }

    /// <summary>Its member crashed: volatile state is gone, the disk is what the WAL made durable.</summary>
    public void Crash()
    {
        _persisting = null;
        Replica = null;
        _removedSelf = false;
        _stopScheduled = false;
        PendingProposals.Clear();
        _readStartAck.Clear();
        _readsAwaitingApply.Clear();
        Disk.LoseUnsynced();
    }

    /// <summary>Stops for good; what it wrote stays on its member's disk, unused.</summary>
    public void Stop(string why)
    {
        _persisting = null;
        Replica = null;
        Removed = true;
        PendingProposals.Clear();
        _sim.Trace($"{Name} stopped: {why}");
    }

    public void Tick()
    {
        Replica!.Tick();
        Pump();
    }

    public void Deliver(Message m)
    {
        Replica!.Step(m);
        Pump();
    }

    public ProposeResult Propose(SimProposal proposal)
    {
        var result = Replica!.Propose(proposal.Encode());
        if (result.Accepted) PendingProposals.Add(proposal.Id);
        if (_sim.Verbose) _sim.Trace($"{Name} proposes {proposal.Id}: {result.Reason}");
        Pump();
        return result;
    }

    public void ReadIndex(ulong context, ulong maxAckedIndex)
    {
        if (Replica!.ReadIndex(context)) _readStartAck[context] = maxAckedIndex;
        Pump();
    }

    public ProposeResult ProposeConfigChange(ConfigChange cc)
    {
        var result = Replica!.ProposeConfigChange(cc);
        Pump();
        return result;
    }

    public void TransferLeadership(ulong target)
    {
        Replica!.TransferLeadership(target);
        Pump();
    }

    /// <summary>Drives Readys until the replica is idle or a write is waiting for the shared fsync.</summary>
    public void Pump()
    {
        while (Alive && _persisting is null && Replica!.HasReady)
        {
            var rd = Replica.GetReady();
            _readyTerm = Replica.Term;
            var records = WalRecord.Of(Group.Id, rd);
            _sentEarly = _sim.Bug == WalBug.SendBeforeFsync || rd.MessagesMayPrecedePersist;
            if (_sentEarly) Send(rd);
            if (rd.MustSync)
            {
                _persisting = rd;
                var generation = Member.Generation;
                Member.Wal.Append(this, records, () =>
                {
                    if (Member.Generation != generation || _persisting != rd || !Alive) return;
                    _persisting = null;
                    Complete(rd);
                    Pump();
                });
                return;
            }
            if (records.Count > 0) Member.Wal.Write(this, records);
            Complete(rd);
        }
    }

    private void Complete(Ready rd)
    {
        if (!_sentEarly) Send(rd);
        if (rd.Snapshot is { } s)
        {
            StateMachine.Restore(s);
            TrackedMembership = s.Metadata.Membership;
            _lastSnapshotIndex = s.Metadata.Index;
            _sim.Stats.SnapshotsInstalled++;
            _sim.Trace($"{Name} installed {s}");
            Group.Checkers.ForEach(c => c.OnSnapshotRestored(this, s.Metadata.Index, StateMachine.Hash));
        }
        foreach (var e in rd.CommittedEntries) _removedSelf |= Apply(e);
        foreach (var r in rd.ReadStates) _readsAwaitingApply.Add(r);
        ServeReads();
        Replica!.Advance(rd);
        if (Replica.Log.UnstableSnapshot is null && !Replica.AppliedMembership.Equals(TrackedMembership))
            throw new SimulationFailure($"membership: {Name} reports {Replica.AppliedMembership}, its applied log says {TrackedMembership}");
        MaybeCompact();
        if (_removedSelf && Replica.Role != ReplicaRole.Leader && !_stopScheduled)
        {
            // Like etcd's stop-with-delay: keep answering a little longer, then stop for good.
            _stopScheduled = true;
            var generation = Member.Generation;
            _sim.Events.After(2 * ElectionTicksMs, () =>
            {
                if (Member.Generation == generation && Alive) Stop("removed from the group");
            });
        }
    }

    private const long ElectionTicksMs = MultiGroupSimulator.ElectionTicks * MultiGroupSimulator.TickMs;

    /// <summary>Sends the Ready's messages, reporting its role change first: a role counts from the moment the
    /// replica can act on it. (One that won an election in memory and crashed before the fsync of its new term
    /// was leader to nobody — the next life does not even remember that term.)</summary>
    private void Send(Ready rd)
    {
        if (rd.SoftState is { } ss)
        {
            _sim.Trace($"{Name} {ss.Role} term={_readyTerm} lead={ss.Leader}");
            Group.Checkers.ForEach(c => c.OnRole(this, ss, _readyTerm));
            if (ss.Role == ReplicaRole.Leader) _sim.Stats.Elections++;
        }
        foreach (var m in rd.Messages) _sim.Network.Send(m);
    }

    /// <summary>Applies one committed entry; true if it removed this replica.</summary>
    private bool Apply(Entry e)
    {
        var outcome = StateMachine.Apply(e);
        Group.Checkers.ForEach(c => c.OnApply(this, e, StateMachine.Hash));
        if (outcome is { } o)
        {
            var id = o.Proposal.Id;
            Group.History.ProposalAt.TryAdd(e.Index, id);
            Group.Checkers.ForEach(c => c.OnRequestApplied(this, o, e.Index));
            if (o.Verdict != Grains.Store.SessionVerdict.New) _sim.Stats.Duplicates++;
            if (PendingProposals.Remove(id))
            {
                if (o.FirstIndex != 0) { _sim.Stats.Acked++; Group.Acknowledge(id, o.FirstIndex); }
                else Group.Clients.RefusedAsSettled(id, e.Index);
            }
        }
        if (e.Type != EntryType.ConfigChange) return false;
        var cc = ConfigChange.Decode(e.Data.Span);
        var before = TrackedMembership;
        TrackedMembership = before.Apply(cc);
        Group.Checkers.ForEach(c => c.OnMembershipApplied(this, e.Index, before, TrackedMembership));
        if (e.Index > Group.BootstrapEntries) _sim.Trace($"{Name} applied {cc} at {e.Index}: {TrackedMembership}");
        return cc.Type == ConfigChangeType.RemoveMember && cc.NodeId == Id;
    }

    private void ServeReads()
    {
        for (var i = _readsAwaitingApply.Count - 1; i >= 0; i--)
        {
            var r = _readsAwaitingApply[i];
            if (StateMachine.AppliedIndex < r.Index) continue;
            _readsAwaitingApply.RemoveAt(i);
            if (!_readStartAck.Remove(r.Context, out var maxAcked)) continue;
            Group.Checkers.ForEach(c => c.OnReadServed(this, r.Index, maxAcked));
        }
    }

    /// <summary>Snapshots the state machine and compacts the log every few entries, so lagging replicas
    /// need InstallSnapshot.</summary>
    private void MaybeCompact()
    {
        var applied = StateMachine.AppliedIndex;
        if (applied < _lastSnapshotIndex + (ulong)_sim.SnapshotEvery || applied > Disk.Live.LastIndex) return;
        Disk.Compact(applied, TrackedMembership, StateMachine.Snapshot());
        _lastSnapshotIndex = applied;
    }

    public override string ToString() => Alive ? $"g{Group.Id} {Replica}@m{Member.Id}" : $"{Name} {(Removed ? "removed" : "down")}";
}
