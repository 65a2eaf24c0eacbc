namespace Coordinator.Grains.Raft;

public sealed partial class Replica
{
    private void StepFollower(Message m)
    {
        switch (m.Type)
        {
            case MessageType.Propose:
                if (_leader != 0) Send(m with { To = _leader, Term = 0 });
                break;
            case MessageType.Append:
                _electionElapsed = 0;
                _leader = m.From;
                HandleAppend(m);
                break;
            case MessageType.Heartbeat:
                _electionElapsed = 0;
                _leader = m.From;
                HandleHeartbeat(m);
                break;
            case MessageType.InstallSnapshot:
                _electionElapsed = 0;
                _leader = m.From;
                HandleSnapshot(m);
                break;
            case MessageType.TransferLeader:
                if (_leader != 0) Send(m with { To = _leader, Term = 0 });
                break;
            case MessageType.TimeoutNow:
                // The leader hands over to us: campaign at once, skipping pre-vote and leases.
                Hup(transfer: true);
                break;
            case MessageType.ReadIndex:
                if (_leader != 0) Send(m with { To = _leader, Term = 0 });
                break;
            case MessageType.ReadIndexResponse:
                _readStates.Add(new ReadState(m.Index, m.Context));
                break;
        }
    }

    private void HandleAppend(Message m)
    {
        if (m.Index < _log.Committed)
        {
            // Everything up to our commit index is settled; tell the leader where we are.
            Send(new Message { Type = MessageType.AppendResponse, To = m.From, Index = _log.Committed });
            return;
        }
        if (_log.TryAppend(m.Index, m.LogTerm, m.Commit, m.Entries, out var lastNew, out var appended))
        {
            if (appended.Count > 0) OnEntriesAppended(appended);
            Send(new Message { Type = MessageType.AppendResponse, To = m.From, Index = lastNew });
            return;
        }
        // Fast back-off: point the leader at the last entry that could match, with its term.
        var hint = _log.FindConflictByTerm(Math.Min(m.Index, _log.LastIndex), m.LogTerm);
        Send(new Message
        {
            Type = MessageType.AppendResponse, To = m.From, Index = m.Index, Reject = true,
            RejectHint = hint, LogTerm = _log.Term(hint),
        });
    }

    private void HandleHeartbeat(Message m)
    {
        // The leader sends min(its commit, our match), so this never commits entries we lack.
        if (m.Commit > _log.Committed) _log.CommitTo(Math.Min(m.Commit, _log.LastIndex));
        if (m.Quiesce)
            Send(new Message { Type = MessageType.HeartbeatResponse, To = m.From, Context = m.Context, Quiesce = true, Reject = !TryQuiesceFollower(m) });
        else
            Send(new Message { Type = MessageType.HeartbeatResponse, To = m.From, Context = m.Context });
    }

    private void HandleSnapshot(Message m)
    {
        var snapshot = m.Snapshot!;
        if (Restore(snapshot))
            Send(new Message { Type = MessageType.AppendResponse, To = m.From, Index = _log.LastIndex });
        else
            Send(new Message { Type = MessageType.AppendResponse, To = m.From, Index = _log.Committed });
    }

    /// <summary>Installs a leader's snapshot unless our log already covers it; true if installed.</summary>
    private bool Restore(Snapshot snapshot)
    {
        var meta = snapshot.Metadata;
        if (meta.Index <= _log.Committed) return false;
        if (_log.MatchTerm(meta.Index, meta.Term))
        {
            _log.CommitTo(meta.Index); // we have the entries: just fast-forward the commit index
            return false;
        }
        _log.Restore(snapshot);
        ResetMembership(meta.Membership);
        ResetProgress();
        return true;
    }
}
