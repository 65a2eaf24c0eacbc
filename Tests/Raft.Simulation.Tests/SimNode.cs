using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Simulation;

/// <summary>
/// One simulated member: a synced disk (MemoryLogStorage), the replica, the state machine, and the host
/// loop that follows the Ready contract: persist (after a simulated fsync), send, apply, Advance.
/// A crash loses the Ready being persisted (or keeps a torn prefix of its records) and all volatile state.
/// </summary>
internal sealed class SimNode : ISimReplica
{
    private readonly Simulator _sim;
    private Ready? _persisting;
    private readonly Dictionary<ulong, ulong> _readStartAck = new(); // read ctx → max acked index when it began
    private readonly List<ReadState> _readsAwaitingApply = new();
    private ulong _lastSnapshotIndex;
    private bool _removedSelf;
    private bool _sentEarly; // the Ready being persisted already had its messages sent
    private bool _stopScheduled;

    public ulong Id { get; }
    public MemoryLogStorage Disk { get; } = new();
    public Replica? Replica { get; private set; }
    public SimStateMachine StateMachine { get; }
    public Membership TrackedMembership { get; private set; } = Membership.Empty;
    public bool Alive => Replica is not null;
    /// <summary>Removed from the group (and stopped, as a real member stops itself).</summary>
    public bool Removed { get; private set; }
    /// <summary>Bumped at every crash, so events scheduled for an earlier life are ignored.</summary>
    public int Generation { get; private set; }
    /// <summary>Proposal ids a client is waiting for at this node.</summary>
    public readonly HashSet<ulong> PendingProposals = new();

    public SimNode(Simulator sim, ulong id)
    {
        _sim = sim;
        Id = id;
        StateMachine = new SimStateMachine(sim.AtMostOnce);
    }

    public void Start()
    {
        StateMachine.Restore(Disk.Snapshot);
        TrackedMembership = Disk.Snapshot.Metadata.Membership;
        _lastSnapshotIndex = Disk.Snapshot.Metadata.Index;
        Replica = new Replica(_sim.ReplicaOptions(Id), Disk);
        _sim.Trace($"{Id} start {Replica}");
        Pump();
    }

    public void Crash()
    {
        if (!Alive) return;
        _sim.Stats.Crashes++;
        if (_persisting is { } rd) TearWrite(rd);
        _persisting = null;
        Replica = null;
        Generation++;
        _removedSelf = false;
        _stopScheduled = false;
        PendingProposals.Clear();
        _readStartAck.Clear();
        _readsAwaitingApply.Clear();
        _sim.Trace($"{Id} crash");
    }

    public void Stop(string why)
    {
        Crash();
        Removed = true;
        _sim.Trace($"{Id} stopped: {why}");
    }

    /// <summary>A crash mid-write keeps a prefix of the records (snapshot, entries, then HardState).</summary>
    private void TearWrite(Ready rd)
    {
        var records = (rd.Snapshot is null ? 0 : 1) + rd.Entries.Count + (rd.HardState is null ? 0 : 1);
        var kept = _sim.Random.Next(records + 1);
        if (kept == 0) return;
        if (rd.Snapshot is { } snap) { Disk.ApplySnapshot(snap); kept--; }
        var entries = rd.Entries.Take(Math.Min(kept, rd.Entries.Count)).ToList();
        kept -= entries.Count;
        Disk.Save(kept > 0 ? rd.HardState : null, entries);
        _sim.Trace($"{Id} torn write kept {entries.Count}/{rd.Entries.Count} entries");
    }

    public void Tick()
    {
        Replica!.Tick();
        Pump();
    }

    public void Deliver(Message m)
    {
        if (_sim.Verbose && m.Type == MessageType.Propose)
            _sim.Trace($"{Id} receives proposals {string.Join(",", m.Entries.Select(SimStateMachine.ProposalId))} from {m.From} as {Replica}");
        Replica!.Step(m);
        Pump();
    }

    public ProposeResult Propose(SimProposal proposal)
    {
        var result = Replica!.Propose(proposal.Encode());
        if (result.Accepted) PendingProposals.Add(proposal.Id);
        if (_sim.Verbose) _sim.Trace($"{Id} proposes {proposal.Id}: {result.Reason}");
        Pump();
        return result;
    }

    public ProposeResult ProposeConfigChange(ConfigChange cc)
    {
        var result = Replica!.ProposeConfigChange(cc);
        Pump();
        return result;
    }

    public void ReadIndex(ulong context, ulong maxAckedIndex)
    {
        if (Replica!.ReadIndex(context)) _readStartAck[context] = maxAckedIndex;
        Pump();
    }

    public void TransferLeadership(ulong target)
    {
        Replica!.TransferLeadership(target);
        Pump();
    }

    /// <summary>Drives Readys until the replica is idle or a write is waiting for its fsync.</summary>
    public void Pump()
    {
        while (Alive && _persisting is null && Replica!.HasReady)
        {
            var rd = Replica.GetReady();
            if (rd.SoftState is { } ss)
            {
                _sim.Trace($"{Id} {ss.Role} term={Replica.Term} lead={ss.Leader}");
                _sim.Checkers.ForEach(c => c.OnRole(this, ss, Replica.Term));
                if (ss.Role == ReplicaRole.Leader) _sim.Stats.Elections++;
            }
            var needsDisk = rd.MustSync || rd.Entries.Count > 0 || rd.Snapshot is not null || rd.HardState is not null;
            var sentEarly = _sim.UnsafeSendBeforePersist || rd.MessagesMayPrecedePersist;
            if (sentEarly) Send(rd);
            _sentEarly = sentEarly;
            if (needsDisk)
            {
                _persisting = rd;
                var generation = Generation;
                _sim.Events.After(_sim.FsyncLatency(), () =>
                {
                    if (Generation != generation || _persisting != rd) return;
                    _persisting = null;
                    Complete(rd);
                });
                return;
            }
            Complete(rd);
        }
    }

    private void Complete(Ready rd)
    {
        if (rd.Snapshot is { } snap) Disk.ApplySnapshot(snap);
        Disk.Save(rd.HardState, rd.Entries);
        if (!_sentEarly) Send(rd);
        if (rd.Snapshot is { } s)
        {
            StateMachine.Restore(s);
            TrackedMembership = s.Metadata.Membership;
            _lastSnapshotIndex = s.Metadata.Index;
            _sim.Stats.SnapshotsInstalled++;
            _sim.Trace($"{Id} installed {s}");
            _sim.Checkers.ForEach(c => c.OnSnapshotRestored(this, s.Metadata.Index, StateMachine.Hash));
        }
        foreach (var e in rd.CommittedEntries) _removedSelf |= Apply(e);
        foreach (var r in rd.ReadStates) _readsAwaitingApply.Add(r);
        ServeReads();
        Replica!.Advance(rd);
        if (Replica.Log.UnstableSnapshot is null && !Replica.AppliedMembership.Equals(TrackedMembership))
            throw new SimulationFailure($"membership: replica {Id} reports {Replica.AppliedMembership}, its applied log says {TrackedMembership} (ready: snapshot={rd.Snapshot}, committed {rd.CommittedEntries.FirstOrDefault()?.Index}..{rd.CommittedEntries.LastOrDefault()?.Index}, replica {Replica})");
        MaybeCompact();
        if (_removedSelf && Replica.Role != ReplicaRole.Leader && !_stopScheduled)
        {
            // Like etcd's stop-with-delay: keep answering a little longer, then stop for good.
            _stopScheduled = true;
            var generation = Generation;
            _sim.Events.After(2 * Simulator.ElectionTicks * Simulator.TickMs, () =>
            {
                if (Generation == generation) Stop("removed from the group");
            });
        }
    }

    private void Send(Ready rd)
    {
        foreach (var m in rd.Messages) _sim.Network.Send(m);
    }

    /// <summary>Applies one committed entry; true if it removed this member.</summary>
    private bool Apply(Entry e)
    {
        var outcome = StateMachine.Apply(e);
        _sim.Checkers.ForEach(c => c.OnApply(this, e, StateMachine.Hash));
        if (outcome is { } o)
        {
            var id = o.Proposal.Id;
            _sim.History.ProposalAt.TryAdd(e.Index, id);
            _sim.Checkers.ForEach(c => c.OnRequestApplied(this, o, e.Index));
            if (o.Verdict != Grains.Store.SessionVerdict.New) _sim.Stats.Duplicates++;
            // The waiting client gets the first result (a duplicate answers as its original did); a stale
            // request gets an error: it is settled, never applied.
            if (PendingProposals.Remove(id))
            {
                if (o.FirstIndex != 0) _sim.Acknowledge(id, o.FirstIndex);
                else _sim.Clients.RefusedAsSettled(id, e.Index);
            }
        }
        if (e.Type != EntryType.ConfigChange) return false;
        var cc = ConfigChange.Decode(e.Data.Span);
        var before = TrackedMembership;
        TrackedMembership = before.Apply(cc);
        _sim.Checkers.ForEach(c => c.OnMembershipApplied(this, e.Index, before, TrackedMembership));
        _sim.Trace($"{Id} applied {cc} at {e.Index}: {TrackedMembership}");
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
            _sim.Checkers.ForEach(c => c.OnReadServed(this, r.Index, maxAcked));
        }
    }

    /// <summary>Snapshots the state machine and compacts the log every few entries, so lagging members
    /// need InstallSnapshot.</summary>
    private void MaybeCompact()
    {
        var applied = StateMachine.AppliedIndex;
        if (applied < _lastSnapshotIndex + (ulong)_sim.SnapshotEvery || applied > Disk.LastIndex) return;
        Disk.CreateSnapshot(applied, TrackedMembership, StateMachine.Snapshot());
        _lastSnapshotIndex = applied;
    }

    public override string ToString() => Alive ? Replica!.ToString() : $"replica {Id} down";
}
