namespace Coordinator.Grains.Raft;

/// <summary>
/// Quiescence: an idle group stops ticking, so a thousand idle groups send no heartbeats (as CockroachDB's
/// quiesced ranges and TiKV's hibernated regions).
/// <para>
/// The leader quiesces after <see cref="ReplicaOptions.QuiesceAfterTicks"/> idle ticks: every replica it tracks
/// has acked the last index, that index is committed, and nothing is in flight (no read round, no transfer, no
/// snapshot, no uncommitted config change). It sends one heartbeat with <see cref="Message.Quiesce"/> carrying
/// the commit index and stops heartbeating and checking quorum. A follower goes quiet on that heartbeat only if
/// it then holds and has committed exactly the leader's last index; otherwise it answers Reject, which wakes the
/// leader. A quiet replica does not tick: no election timer runs.
/// </para>
/// <para>
/// Safety: quiescence changes only when timers run, and no Raft safety property depends on timers (a
/// quiet leader serves no lease reads: Validate refuses quiescence with <see cref="ReadMode.LeaseBased"/>).
/// Liveness: any input other than quiesce traffic wakes a replica — a proposal, a read, a transfer, a message
/// from a peer (a forwarded proposal, an append, a pre-vote). Waking restarts the election timer as if the
/// leader had just been heard, so a live leader is not disrupted, and a dead one is replaced within a few
/// election timeouts of the first request. A group whose leader dies while everything is quiet stays quiet
/// until something wakes it: the host calls <see cref="Wake"/> when it learns a peer is down.
/// </para>
/// </summary>
public sealed partial class Replica
{
    private bool _quiesced;
    private int _idleTicks; // leader: consecutive ticks with the group idle

    /// <summary>True while the group is quiet here: Tick does nothing, so the host may skip ticking it.</summary>
    public bool IsQuiesced => _quiesced;

    /// <summary>Ends quiescence (no-op when not quiet). The host calls it when it suspects the leader is gone;
    /// every input other than quiesce traffic calls it too.</summary>
    public void Wake()
    {
        if (!_quiesced) return;
        _quiesced = false;
        _idleTicks = 0;
        _electionElapsed = 0;
        if (_role != ReplicaRole.Leader) return;
        foreach (var p in _progress.Values) p.TicksSinceHeard = 0; // a grace period for check-quorum
        _heartbeatElapsed = 0;
        BroadcastHeartbeat(); // reassert leadership at once (a woken follower may be about to campaign)
    }

    /// <summary>Leader, once per tick while not quiet: counts idle ticks and quiesces; true if it did.</summary>
    private bool TickQuiescence()
    {
        if (_options.QuiesceAfterTicks == 0) return false;
        if (!GroupIsIdle()) { _idleTicks = 0; return false; }
        if (++_idleTicks < _options.QuiesceAfterTicks) return false;
        foreach (var id in _progress.Keys)
        {
            if (id == Id) continue;
            Send(new Message { Type = MessageType.Heartbeat, To = id, Commit = _log.Committed, Quiesce = true });
        }
        _quiesced = true;
        return true;
    }

    private bool GroupIsIdle()
    {
        if (_leadTransferee != 0 || _reads.HasWaiting || _reads.RoundInFlight != 0) return false;
        if (_log.Committed != _log.LastIndex || _pendingConfigIndex > _log.Committed) return false;
        foreach (var (id, p) in _progress)
        {
            if (p.Match != _log.LastIndex) return false;
            if (id != Id && (p.State != ProgressState.Replicate || !p.RecentActive)) return false;
        }
        return true;
    }

    /// <summary>True for the messages that must not wake a quiet replica: the leader's quiesce heartbeat and
    /// the answers to heartbeats, except a follower's refusal to go quiet.</summary>
    private static bool IsQuiesceTraffic(Message m) =>
        (m.Type == MessageType.Heartbeat && m.Quiesce) ||
        (m.Type == MessageType.HeartbeatResponse && !(m.Quiesce && m.Reject));

    /// <summary>Follower, after handling a quiesce heartbeat of its leader (its commit already applied).</summary>
    private bool TryQuiesceFollower(Message m) =>
        _quiesced = m.From == _leader && _log.LastIndex == m.Commit && _log.Committed == m.Commit;
}
