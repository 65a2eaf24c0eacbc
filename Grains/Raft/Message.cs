namespace Coordinator.Grains.Raft;

public enum MessageType : byte
{
    /// <summary>Local: start an election now.</summary>
    Hup,
    /// <summary>Local: leader broadcasts heartbeats now.</summary>
    Beat,
    /// <summary>A proposal forwarded from a follower to the leader.</summary>
    Propose,
    /// <summary>Leader → follower: entries after (Index, LogTerm), and the leader's commit.</summary>
    Append,
    /// <summary>Follower → leader: Index acked, or Reject with a back-off hint (RejectHint, LogTerm).</summary>
    AppendResponse,
    Vote,
    VoteResponse,
    PreVote,
    PreVoteResponse,
    /// <summary>Leader → follower: the follower is too far behind; install this snapshot.</summary>
    InstallSnapshot,
    /// <summary>Leader → follower: commit index (at most the follower's match) and a read-round context.</summary>
    Heartbeat,
    HeartbeatResponse,
    /// <summary>Ask the leader to hand leadership to the member in Index (forwarded by followers).</summary>
    TransferLeader,
    /// <summary>Leader → transfer target: campaign now, bypassing pre-vote and leader leases.</summary>
    TimeoutNow,
    /// <summary>Follower → leader: ask for a read index for Context.</summary>
    ReadIndex,
    /// <summary>Leader → follower: Index is safe to read at for Context.</summary>
    ReadIndexResponse,
}

/// <summary>
/// A message between replicas of one group. Immutable. Which fields matter depends on <see cref="Type"/>;
/// unused fields are zero/empty. Every message carries the group id and the sender's term (0 only for local
/// messages and forwarded proposals, which are term-less).
/// </summary>
public sealed record Message
{
    public ulong Group { get; init; }
    public MessageType Type { get; init; }
    public ulong From { get; init; }
    public ulong To { get; init; }
    public ulong Term { get; init; }
    /// <summary>Append: term of the entry at Index. Reject: term of the entry at RejectHint (the hint term).</summary>
    public ulong LogTerm { get; init; }
    /// <summary>Append: index preceding Entries. AppendResponse: last index matched (or the rejected index).
    /// Vote: candidate's last index. ReadIndexResponse: the read index. TransferLeader: the target.</summary>
    public ulong Index { get; init; }
    public IReadOnlyList<Entry> Entries { get; init; } = Array.Empty<Entry>();
    public ulong Commit { get; init; }
    public bool Reject { get; init; }
    /// <summary>On a rejected append: the follower's guess of the last index that may match.</summary>
    public ulong RejectHint { get; init; }
    public Snapshot? Snapshot { get; init; }
    /// <summary>Heartbeat(Response): the read round being confirmed. ReadIndex(Response): the host's read id.</summary>
    public ulong Context { get; init; }
    /// <summary>Vote: this election was started by a leader transfer; voters skip their leader lease.</summary>
    public bool LeaderTransfer { get; init; }
    /// <summary>Heartbeat: the leader goes quiet after this one (see Replica.Quiescence). HeartbeatResponse:
    /// the answer to such a heartbeat; with Reject the follower did not go quiet (it lacks entries).</summary>
    public bool Quiesce { get; init; }

    public override string ToString()
    {
        var s = $"{From}->{To} {Type} term={Term}";
        switch (Type)
        {
            case MessageType.Append:
                s += $" index={Index} logTerm={LogTerm} commit={Commit} entries=[{string.Join(", ", Entries)}]"; break;
            case MessageType.AppendResponse:
                s += Reject ? $" reject index={Index} hint={RejectHint}/{LogTerm}" : $" index={Index}"; break;
            case MessageType.Vote or MessageType.PreVote:
                s += $" last={LogTerm}/{Index}" + (LeaderTransfer ? " transfer" : ""); break;
            case MessageType.VoteResponse or MessageType.PreVoteResponse:
                s += Reject ? " reject" : " granted"; break;
            case MessageType.InstallSnapshot:
                s += $" {Snapshot}"; break;
            case MessageType.Heartbeat:
                s += $" commit={Commit}" + (Context != 0 ? $" ctx={Context}" : "") + (Quiesce ? " quiesce" : ""); break;
            case MessageType.HeartbeatResponse:
                s += (Context != 0 ? $" ctx={Context}" : "") + (Quiesce ? (Reject ? " quiesce-declined" : " quiesced") : ""); break;
            case MessageType.ReadIndex:
                s += $" ctx={Context}"; break;
            case MessageType.ReadIndexResponse:
                s += $" ctx={Context} index={Index}"; break;
            case MessageType.Propose:
                s += $" entries=[{string.Join(", ", Entries)}]"; break;
        }
        return s;
    }
}
