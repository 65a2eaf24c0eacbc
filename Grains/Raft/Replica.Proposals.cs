namespace Coordinator.Grains.Raft;

public sealed partial class Replica
{
    /// <summary>Proposes opaque host data. On a follower it is forwarded to the leader.</summary>
    public ProposeResult Propose(ReadOnlyMemory<byte> data) =>
        ProposeEntries(new[] { new Entry(0, 0, EntryType.Normal, data) });

    /// <summary>Proposes a batch of host payloads as consecutive entries (one append, one fsync).</summary>
    public ProposeResult Propose(IReadOnlyList<ReadOnlyMemory<byte>> batch) =>
        ProposeEntries(batch.Select(d => new Entry(0, 0, EntryType.Normal, d)).ToArray());

    /// <summary>Proposes a single-member change; refused while another is pending. It takes effect when the
    /// entry is applied (handed out in a Ready and Advanced).</summary>
    public ProposeResult ProposeConfigChange(ConfigChange change) =>
        ProposeEntries(new[] { new Entry(0, 0, EntryType.ConfigChange, change.Encode()) });

    private ProposeResult ProposeEntries(IReadOnlyList<Entry> entries)
    {
        if (entries.Count == 0) throw new ArgumentException("nothing to propose", nameof(entries));
        Wake();
        if (_role == ReplicaRole.Leader) return ProposeAsLeader(entries);
        if (_leader == 0) return new(ProposeOutcome.DroppedNoLeader);
        Send(new Message { Type = MessageType.Propose, To = _leader, Entries = entries });
        return new(ProposeOutcome.Forwarded);
    }

    private ProposeResult ProposeAsLeader(IReadOnlyList<Entry> entries)
    {
        if (!_progress.ContainsKey(Id)) return new(ProposeOutcome.DroppedNotMember);
        if (_leadTransferee != 0) return new(ProposeOutcome.DroppedLeaderTransfer);
        if (entries.Count(e => e.Type == EntryType.ConfigChange) > 1) return new(ProposeOutcome.DroppedConfigChangePending);
        foreach (var e in entries)
        {
            if (e.Type != EntryType.ConfigChange) continue;
            var outcome = CheckConfigChange(ConfigChange.Decode(e.Data.Span));
            if (outcome is { } refused) return new(refused);
        }
        AppendEntries(entries);
        if (entries.Any(e => e.Type == EntryType.ConfigChange)) _pendingConfigIndex = _log.LastIndex;
        BroadcastAppend();
        return new(ProposeOutcome.Appended, _log.LastIndex, _term);
    }

    /// <summary>Queues a linearizable read: a <see cref="ReadState"/> with this context comes out in a Ready
    /// once it is safe to serve at its index. False when there is no leader to ask.</summary>
    public bool ReadIndex(ulong context)
    {
        Wake();
        if (_role == ReplicaRole.Leader)
        {
            if (!_progress.ContainsKey(Id)) return false; // removed: leading only until the removal commits
            LeaderReadIndex(context, Id);
            return true;
        }
        if (_leader == 0) return false;
        Send(new Message { Type = MessageType.ReadIndex, To = _leader, Context = context });
        return true;
    }

    private bool CommittedInCurrentTerm => _log.Term(_log.Committed) == _term;

    private void LeaderReadIndex(ulong context, ulong from)
    {
        _reads.Enqueue(context, from);
        MaybeStartReadRound();
    }

    /// <summary>Starts a heartbeat round for the queued reads when none is in flight. A new leader waits
    /// until an entry of its term commits: before that its commit index may be behind the true one.</summary>
    private void MaybeStartReadRound()
    {
        if (_role != ReplicaRole.Leader || !_reads.HasWaiting || _reads.RoundInFlight != 0 || !CommittedInCurrentTerm)
            return;
        var soleVoter = _membership.Voters.Count == 1 && _membership.IsVoter(Id);
        if (soleVoter || (_options.ReadMode == ReadMode.LeaseBased && HoldsLease))
        {
            foreach (var r in _reads.TakeWaiting()) ReleaseRead(r, _log.Committed);
            return;
        }
        _reads.StartRound(_log.Committed, Id);
        BroadcastHeartbeat();
    }

    /// <summary>Lease-based reads: a majority answered within half an election timeout, so (with bounded
    /// delays and clock drift) no follower of that majority can have started an election yet. Without a
    /// fresh lease the read falls back to a heartbeat round.</summary>
    private bool HoldsLease => Quorum.HasMajority(_membership.Voters,
        v => v == Id || (_progress.TryGetValue(v, out var p) && p.TicksSinceHeard < _options.ElectionTicks / 2));

    private void ConfirmReadRound(ulong round, ulong from)
    {
        var released = _reads.Ack(round, from, acks => Quorum.HasMajority(_membership.Voters, acks.Contains));
        if (released is not { } batch) return;
        foreach (var r in batch.Reads) ReleaseRead(r, batch.Index);
        MaybeStartReadRound();
    }

    private void ReleaseRead(ReadIndexBatcher.Request r, ulong index)
    {
        if (r.From == Id) _readStates.Add(new ReadState(index, r.Context));
        else Send(new Message { Type = MessageType.ReadIndexResponse, To = r.From, Index = index, Context = r.Context });
    }

    /// <summary>Asks the leader to hand leadership to <paramref name="target"/>: it brings the target up to
    /// date, then tells it to campaign; proposals are refused meanwhile; aborted after an election timeout.</summary>
    public void TransferLeadership(ulong target)
    {
        Wake();
        if (_role == ReplicaRole.Leader) TransferTo(target);
        else if (_leader != 0) Send(new Message { Type = MessageType.TransferLeader, To = _leader, Index = target });
    }

    /// <summary>Host: a message to <paramref name="peer"/> could not be delivered; stop streaming to it.</summary>
    public void ReportUnreachable(ulong peer)
    {
        if (_role == ReplicaRole.Leader && _progress.TryGetValue(peer, out var pr) && pr.State == ProgressState.Replicate)
            pr.BecomeProbe();
    }

    /// <summary>Host: the snapshot sent to <paramref name="peer"/> was delivered (or failed).</summary>
    public void ReportSnapshot(ulong peer, bool delivered)
    {
        if (_role != ReplicaRole.Leader || !_progress.TryGetValue(peer, out var pr) || pr.State != ProgressState.Snapshot)
            return;
        pr.BecomeProbe();
        pr.ProbeSent = delivered; // delivered: wait for the follower's ack instead of probing at once
    }
}
