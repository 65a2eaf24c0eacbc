using System.Diagnostics;

namespace Coordinator.Grains.Raft;

/// <summary>
/// One Raft replica of one group: a pure, single-threaded state machine. Input: <see cref="Tick"/>,
/// <see cref="Step"/> (a message from a peer), <see cref="Propose"/>, <see cref="ReadIndex"/> and friends.
/// Output: <see cref="GetReady"/>, whose contract is documented on <see cref="Ready"/>. No clocks, I/O,
/// threads or unseeded randomness: the same inputs give the same outputs.
/// Roles are split over partial files (Leader, Candidate, Follower, Membership, Ready).
/// </summary>
public sealed partial class Replica
{
    private readonly ReplicaOptions _options;
    private readonly Random _random;
    private readonly RaftLog _log;
    private readonly List<Message> _messages = new();
    private readonly List<ReadState> _readStates = new();
    private readonly Dictionary<ulong, Progress> _progress = new();
    private readonly Dictionary<ulong, bool> _votes = new();
    private readonly ReadIndexBatcher _reads = new();

    private ulong _term;
    private ulong _vote;
    private ulong _leader;
    private ReplicaRole _role;
    private Membership _membership = Membership.Empty;
    private int _electionElapsed;
    private int _heartbeatElapsed;
    private int _randomizedElectionTimeout;
    /// <summary>Leader: index of the latest config change proposed; a new one waits until it is applied.</summary>
    private ulong _pendingConfigIndex;
    private ulong _leadTransferee;

    public ulong Id => _options.Id;
    public ulong Group => _options.Group;
    public ulong Term => _term;
    public ulong Leader => _leader;
    public ReplicaRole Role => _role;
    /// <summary>The membership in effect: that of the latest config entry in the log, committed or not
    /// (Raft thesis §4.1), else the snapshot's.</summary>
    public Membership Membership => _membership;
    public ulong Committed => _log.Committed;
    public ulong Applied => _log.Applied;
    public ulong LastIndex => _log.LastIndex;
    /// <summary>For checkers in tests: the replica's log view (storage + unstable tail).</summary>
    internal RaftLog Log => _log;

    /// <summary>Starts from what storage holds: snapshot + remaining log + HardState.</summary>
    public Replica(ReplicaOptions options, IRaftLogStorage storage)
    {
        options.Validate();
        _options = options;
        _random = new Random(options.RandomSeed);
        _log = new RaftLog(storage);
        var hs = storage.HardState;
        ResetMembership(storage.SnapshotMetadata.Membership);
        if (!hs.IsEmpty)
        {
            // A snapshot is committed by definition, so a HardState written before it may lag behind it.
            if (hs.Commit > _log.LastIndex)
                throw new InvalidOperationException($"hard state commit {hs.Commit} is beyond the last log index {_log.LastIndex}");
            _log.CommitTo(hs.Commit);
            _term = hs.Term;
            _vote = hs.Vote;
        }
        if (options.Applied > _log.Applied) _log.AppliedTo(Math.Min(options.Applied, _log.Committed));
        // In slices: storage may read the log from disk, and need not hold all of it in memory at once.
        for (var lo = _log.FirstIndex; lo <= _log.LastIndex;)
        {
            var slice = _log.TrySlice(lo, _log.LastIndex + 1, options.MaxCommittedBytesPerReady)!;
            OnEntriesAppended(slice);
            lo = slice[^1].Index + 1;
        }
        _prevHardState = new HardState(_term, _vote, _log.Committed);
        BecomeFollower(_term, 0);
        _prevSoftState = new SoftState(_leader, _role);
    }

    /// <summary>True if this replica may campaign: a voter of the membership in effect, or a voter whose
    /// removal is not yet committed — it may still be needed to commit that removal (Raft thesis §4.2.2).
    /// Its own vote only counts where it is a voter.</summary>
    private bool Promotable =>
        _membership.IsVoter(Id) || (LatestConfigIndex > _log.Committed && PreviousMembership.IsVoter(Id));

    /// <summary>Advances logical time by one tick.</summary>
    public void Tick()
    {
        if (_quiesced) return;
        if (_role == ReplicaRole.Leader) TickLeader();
        else TickElection();
        CheckInvariants();
    }

    private void TickElection()
    {
        _electionElapsed++;
        if (Promotable && _electionElapsed >= _randomizedElectionTimeout)
        {
            _electionElapsed = 0;
            Step(Local(MessageType.Hup));
        }
    }

    /// <summary>Starts an election now (pre-vote first when enabled).</summary>
    public void Campaign() => Step(Local(MessageType.Hup));

    /// <summary>Processes a message from a peer (or a local one). Messages of another group, or from a
    /// stale term, are ignored (answered where that helps the sender catch up).</summary>
    public void Step(Message m)
    {
        if (m.Group != Group) return;
        if (_quiesced && !IsQuiesceTraffic(m)) Wake();
        if (!StepTerm(m)) { CheckInvariants(); return; }
        switch (m.Type)
        {
            case MessageType.Hup:
                Hup(transfer: false);
                break;
            case MessageType.Vote or MessageType.PreVote:
                HandleVoteRequest(m);
                break;
            default:
                switch (_role)
                {
                    case ReplicaRole.Leader: StepLeader(m); break;
                    case ReplicaRole.Candidate or ReplicaRole.PreCandidate: StepCandidate(m); break;
                    default: StepFollower(m); break;
                }
                break;
        }
        CheckInvariants();
    }

    /// <summary>Applies the term rules common to all roles; false when the message must be dropped.</summary>
    private bool StepTerm(Message m)
    {
        if (m.Term == 0) return true; // local message or forwarded proposal
        if (m.Term > _term)
        {
            if (m.Type is MessageType.Vote or MessageType.PreVote)
            {
                // Leader lease: while we hear from a leader, ignore disruptive candidates (Raft §6 / check-quorum).
                var inLease = _options.CheckQuorum && _leader != 0 && _electionElapsed < _options.ElectionTicks;
                if (inLease && !m.LeaderTransfer) return false;
            }
            switch (m.Type)
            {
                case MessageType.PreVote:
                    break; // a pre-vote never changes our term
                case MessageType.PreVoteResponse when !m.Reject:
                    break; // our own pre-campaign's success: the term is bumped when we campaign for real
                default:
                    var leader = m.Type is MessageType.Append or MessageType.Heartbeat or MessageType.InstallSnapshot ? m.From : 0;
                    BecomeFollower(m.Term, leader);
                    break;
            }
            return true;
        }
        if (m.Term < _term)
        {
            if ((_options.CheckQuorum || _options.PreVote) && m.Type is MessageType.Append or MessageType.Heartbeat)
            {
                // A stale leader (e.g. behind a healed partition) learns our term and steps down.
                Send(new Message { Type = MessageType.AppendResponse, To = m.From });
            }
            else if (m.Type == MessageType.PreVote)
            {
                Send(new Message { Type = MessageType.PreVoteResponse, To = m.From, Reject = true });
            }
            return false;
        }
        return true;
    }

    private void HandleVoteRequest(Message m)
    {
        var isPre = m.Type == MessageType.PreVote;
        var canVote = _vote == m.From || (_vote == 0 && _leader == 0) || (isPre && m.Term > _term);
        var responseType = isPre ? MessageType.PreVoteResponse : MessageType.VoteResponse;
        if (canVote && _log.IsUpToDate(m.Index, m.LogTerm))
        {
            // A pre-vote grant answers in the candidate's future term, so the candidate does not drop it as stale.
            Send(new Message { Type = responseType, To = m.From, Term = m.Term });
            if (!isPre)
            {
                _electionElapsed = 0;
                _vote = m.From;
            }
        }
        else
        {
            Send(new Message { Type = responseType, To = m.From, Term = _term, Reject = true });
        }
    }

    private void ResetTerm(ulong term)
    {
        if (_term != term)
        {
            _term = term;
            _vote = 0;
        }
        _leader = 0;
        _electionElapsed = 0;
        _heartbeatElapsed = 0;
        _randomizedElectionTimeout = _options.ElectionTicks + _random.Next(_options.ElectionTicks);
        _votes.Clear();
        _leadTransferee = 0;
        _quiesced = false;
        _idleTicks = 0;
        _reads.Reset();
        ResetProgress();
    }

    private void ResetProgress()
    {
        _progress.Clear();
        foreach (var id in _membership.All)
            _progress[id] = NewProgress(id);
    }

    private Progress NewProgress(ulong id)
    {
        var p = new Progress(_log.LastIndex + 1, _options.MaxInflightAppends, _membership.IsLearner(id))
        {
            ActiveWindowTicks = _options.ElectionTicks,
        };
        if (id == Id) p.MaybeUpdate(_log.StableLastIndex);
        return p;
    }

    private void BecomeFollower(ulong term, ulong leader)
    {
        ResetTerm(term);
        _role = ReplicaRole.Follower;
        _leader = leader;
    }

    /// <summary>Queues an outgoing message, stamping group, sender and (unless set) our term.</summary>
    private void Send(Message m)
    {
        var term = m.Type switch
        {
            MessageType.Propose or MessageType.ReadIndex or MessageType.TransferLeader when m.Term == 0 => 0UL,
            _ when m.Term != 0 => m.Term,
            _ => _term,
        };
        _messages.Add(m with { Group = Group, From = Id, Term = term });
    }

    private Message Local(MessageType type) => new() { Group = Group, Type = type, From = Id, To = Id };

    public ReplicaStatus Status() => new(
        Id, Group, _role, _term, _leader, _vote, _log.Committed, _log.Applied, _log.LastIndex, _leadTransferee,
        _membership, _role == ReplicaRole.Leader ? new Dictionary<ulong, Progress>(_progress) : new Dictionary<ulong, Progress>());

    [Conditional("DEBUG")]
    private void CheckInvariants()
    {
        if (_log.Applied > _log.Committed) throw new InvalidOperationException($"applied {_log.Applied} > committed {_log.Committed}");
        if (_log.Committed > _log.LastIndex) throw new InvalidOperationException($"committed {_log.Committed} > last {_log.LastIndex}");
        if (_role == ReplicaRole.Leader && _leader != Id) throw new InvalidOperationException("a leader must lead itself");
    }

    public override string ToString() => $"replica {Id} {_role} term={_term} lead={_leader} {_log}";
}
