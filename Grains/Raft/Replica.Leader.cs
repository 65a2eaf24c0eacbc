namespace Coordinator.Grains.Raft;

public sealed partial class Replica
{
    private void BecomeLeader()
    {
        ResetTerm(_term);
        _role = ReplicaRole.Leader;
        _leader = Id;
        _vote = Id;
        foreach (var p in _progress.Values) p.TicksSinceHeard = 0; // a grace period for check-quorum
        // Config changes in the uncommitted tail may be pending: refuse new ones until they are applied
        // (this also closes the single-server-change hole: a leader first commits an entry of its term).
        // Raft §8: an empty entry of our term lets us commit earlier terms' entries and serve reads.
        AppendEntries(new[] { new Entry(0, 0) });
        _pendingConfigIndex = _log.LastIndex; // includes the empty entry: it must commit before a change
        BroadcastAppend();
    }

    private void TickLeader()
    {
        _heartbeatElapsed++;
        _electionElapsed++;
        foreach (var (id, p) in _progress)
        {
            if (id != Id) p.TicksSinceHeard++;
            if (p.State == ProgressState.Snapshot && ++p.SnapshotTicks >= _options.ElectionTicks)
                p.BecomeProbe(); // the snapshot (or its ack) was lost: probe again, which resends it
        }
        if (_electionElapsed >= _options.ElectionTicks)
        {
            _electionElapsed = 0;
            if (_options.CheckQuorum && !Quorum.HasMajority(_membership.Voters, v => v == Id || (_progress.TryGetValue(v, out var p) && p.RecentActive)))
            {
                BecomeFollower(_term, 0); // we cannot hear a majority: another leader may exist
                return;
            }
            if (_leadTransferee != 0) _leadTransferee = 0; // transfer did not finish within an election timeout
        }
        if (TickQuiescence()) return;
        if (_heartbeatElapsed >= _options.HeartbeatTicks)
        {
            _heartbeatElapsed = 0;
            BroadcastHeartbeat();
        }
    }

    private void StepLeader(Message m)
    {
        switch (m.Type)
        {
            case MessageType.Beat:
                BroadcastHeartbeat();
                return;
            case MessageType.Propose:
                // Forwarded: the same checks as a local proposal; a dropped one surfaces as the host's timeout.
                ProposeAsLeader(m.Entries);
                return;
            case MessageType.ReadIndex:
                if (_progress.ContainsKey(Id)) LeaderReadIndex(m.Context, m.From);
                return;
            case MessageType.TransferLeader:
                TransferTo(m.Index);
                return;
        }
        if (!_progress.TryGetValue(m.From, out var pr)) return; // not a member (anymore)
        pr.TicksSinceHeard = 0;
        switch (m.Type)
        {
            case MessageType.AppendResponse:
                HandleAppendResponse(m, pr);
                break;
            case MessageType.HeartbeatResponse:
                pr.ProbeSent = false;
                if (pr.State == ProgressState.Replicate && pr.Inflights.Full) pr.Inflights.FreeFirst();
                if (pr.Match < _log.LastIndex) SendAppend(m.From, pr);
                ConfirmReadRound(m.Context, m.From);
                break;
        }
    }

    private void HandleAppendResponse(Message m, Progress pr)
    {
        if (m.Reject)
        {
            var next = m.LogTerm > 0 ? _log.FindConflictByTerm(m.RejectHint, m.LogTerm) : m.RejectHint;
            if (pr.MaybeDecreaseTo(m.Index, next))
            {
                if (pr.State == ProgressState.Replicate) pr.BecomeProbe();
                SendAppend(m.From, pr);
            }
            return;
        }
        var wasPaused = pr.IsPaused;
        // An ack of exactly Match still ends probing (e.g. a caught-up follower answering the probe sent
        // after a reject or ReportUnreachable); otherwise it would stay paused in Probe until new entries.
        if (!pr.MaybeUpdate(m.Index) && !(pr.State == ProgressState.Probe && pr.Match == m.Index)) return;
        switch (pr.State)
        {
            case ProgressState.Probe:
                pr.BecomeReplicate();
                break;
            case ProgressState.Snapshot when pr.Match >= pr.PendingSnapshot:
                pr.BecomeProbe();
                pr.BecomeReplicate();
                break;
            case ProgressState.Replicate:
                pr.Inflights.FreeTo(m.Index);
                break;
        }
        if (MaybeCommit())
        {
            BroadcastAppend();
            MaybeStartReadRound();
        }
        else if (_role != ReplicaRole.Leader) return;
        else if (wasPaused) SendAppend(m.From, pr);
        while (SendAppend(m.From, pr, sendIfEmpty: false)) { }
        if (m.From == _leadTransferee && pr.Match == _log.LastIndex)
            Send(new Message { Type = MessageType.TimeoutNow, To = m.From });
    }

    /// <summary>Commits the highest index a majority has durably, if it is of our term (§5.4.2). A leader
    /// whose removal has just committed steps down: the remaining voters already use the new membership.</summary>
    private bool MaybeCommit()
    {
        if (_membership.Voters.Count == 0) return false;
        var index = Quorum.CommittedIndex(_membership.Voters, v => _progress.TryGetValue(v, out var p) ? p.Match : 0);
        if (!_log.MaybeCommit(index, _term)) return false;
        if (!_membership.Contains(Id) && _log.Committed >= LatestConfigIndex)
        {
            BroadcastAppend(); // tell the others the commit index before leaving
            BecomeFollower(_term, 0);
            return false;
        }
        return true;
    }

    /// <summary>Appends entries of our term to our log; our own ack comes when they are stable (Advance).</summary>
    private void AppendEntries(IReadOnlyList<Entry> entries)
    {
        var last = _log.LastIndex;
        var stamped = new Entry[entries.Count];
        for (var i = 0; i < entries.Count; i++)
            stamped[i] = entries[i] with { Index = last + 1 + (ulong)i, Term = _term };
        _log.Append(stamped);
        OnEntriesAppended(stamped);
    }

    private void BroadcastAppend()
    {
        foreach (var (id, pr) in _progress)
            if (id != Id) SendAppend(id, pr);
    }

    private void BroadcastHeartbeat()
    {
        var ctx = _reads.RoundInFlight;
        foreach (var (id, pr) in _progress)
        {
            if (id == Id) continue;
            Send(new Message
            {
                Type = MessageType.Heartbeat, To = id, Commit = Math.Min(pr.Match, _log.Committed), Context = ctx,
            });
        }
    }

    /// <summary>Sends the entries a follower lacks (or a snapshot if they are compacted); false if nothing was sent.</summary>
    private bool SendAppend(ulong to, Progress pr, bool sendIfEmpty = true)
    {
        if (pr.IsPaused) return false;
        var prevIndex = pr.Next - 1;
        var hasTerm = _log.TryTerm(prevIndex, out var prevTerm);
        var entries = hasTerm ? _log.TrySlice(pr.Next, _log.LastIndex + 1, _options.MaxBytesPerAppend) : null;
        if (!hasTerm || entries is null)
        {
            var snapshot = _log.CurrentSnapshot;
            if (snapshot.IsEmpty) return false; // nothing to send yet: storage is being written
            Send(new Message { Type = MessageType.InstallSnapshot, To = to, Snapshot = snapshot });
            pr.BecomeSnapshot(snapshot.Metadata.Index);
            return true;
        }
        if (entries.Count == 0 && !sendIfEmpty) return false;
        Send(new Message
        {
            Type = MessageType.Append, To = to, Index = prevIndex, LogTerm = prevTerm, Entries = entries,
            Commit = _log.Committed,
        });
        if (pr.State == ProgressState.Replicate && entries.Count > 0)
        {
            var last = entries[^1].Index;
            pr.Next = last + 1;
            pr.Inflights.Add(last);
        }
        else if (pr.State == ProgressState.Probe)
        {
            pr.ProbeSent = true;
        }
        return true;
    }

    private void TransferTo(ulong target)
    {
        if (!_progress.TryGetValue(target, out var pr) || pr.IsLearner) return;
        if (target == Id || target == _leadTransferee || !_progress.ContainsKey(Id)) return;
        _leadTransferee = target;
        _electionElapsed = 0; // the transfer must finish within one election timeout
        if (pr.Match == _log.LastIndex) Send(new Message { Type = MessageType.TimeoutNow, To = target });
        else SendAppend(target, pr);
    }
}
