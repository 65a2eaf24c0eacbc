namespace Coordinator.Grains.Raft;

public sealed partial class Replica
{
    /// <summary>Starts a (pre-)election unless we cannot lead (a learner, or removed).</summary>
    private void Hup(bool transfer)
    {
        if (_role == ReplicaRole.Leader || !Promotable) return;
        if (_options.PreVote && !transfer) BecomePreCandidate();
        else BecomeCandidate(transfer);
    }

    private void BecomePreCandidate()
    {
        // Pre-vote: ask whether we could win term+1 without touching our term or vote (Raft thesis §9.6).
        _votes.Clear();
        _role = ReplicaRole.PreCandidate;
        _leader = 0;
        _electionElapsed = 0;
        _randomizedElectionTimeout = _options.ElectionTicks + _random.Next(_options.ElectionTicks);
        RequestVotes(MessageType.PreVote, _term + 1, transfer: false);
    }

    private void BecomeCandidate(bool transfer)
    {
        ResetTerm(_term + 1);
        _vote = Id;
        _role = ReplicaRole.Candidate;
        RequestVotes(MessageType.Vote, _term, transfer);
    }

    private void RequestVotes(MessageType type, ulong term, bool transfer)
    {
        _votes[Id] = true;
        if (TallyVotes()) return;
        foreach (var voter in _membership.Voters)
        {
            if (voter == Id) continue;
            Send(new Message
            {
                Type = type, To = voter, Term = term, Index = _log.LastIndex, LogTerm = _log.LastTerm,
                LeaderTransfer = transfer,
            });
        }
    }

    /// <summary>Acts on the votes so far; true if the election ended.</summary>
    private bool TallyVotes()
    {
        switch (Quorum.Tally(_membership.Voters, _votes))
        {
            case VoteOutcome.Won:
                if (_role == ReplicaRole.PreCandidate) BecomeCandidate(transfer: false);
                else BecomeLeader();
                return true;
            case VoteOutcome.Lost:
                BecomeFollower(_term, 0);
                return true;
            default:
                return false;
        }
    }

    private void StepCandidate(Message m)
    {
        switch (m.Type)
        {
            case MessageType.Propose:
                break; // dropped: no leader (Propose reports it for local proposals)
            case MessageType.Append:
                BecomeFollower(m.Term, m.From);
                HandleAppend(m);
                break;
            case MessageType.Heartbeat:
                BecomeFollower(m.Term, m.From);
                HandleHeartbeat(m);
                break;
            case MessageType.InstallSnapshot:
                BecomeFollower(m.Term, m.From);
                HandleSnapshot(m);
                break;
            case MessageType.VoteResponse when _role == ReplicaRole.Candidate:
            case MessageType.PreVoteResponse when _role == ReplicaRole.PreCandidate:
                _votes[m.From] = !m.Reject;
                TallyVotes();
                break;
        }
    }
}
