namespace Coordinator.Grains.Raft;

public sealed partial class Replica
{
    private HardState _prevHardState;
    private SoftState _prevSoftState;
    /// <summary>A Ready was handed out and not yet Advanced: at most one is in flight.</summary>
    private bool _readyInFlight;

    private HardState CurrentHardState => new(_term, _vote, _log.Committed);
    private SoftState CurrentSoftState => new(_leader, _role);

    /// <summary>True when <see cref="GetReady"/> has work for the host.</summary>
    public bool HasReady =>
        !_readyInFlight && (
            CurrentSoftState != _prevSoftState || CurrentHardState != _prevHardState ||
            _log.UnstableEntries.Count > 0 || _log.UnstableSnapshot is not null || _log.HasNextCommitted ||
            _messages.Count > 0 || _readStates.Count > 0);

    /// <summary>Takes the work to do; see <see cref="Ready"/> for the order the host must follow.</summary>
    public Ready GetReady()
    {
        if (_readyInFlight) throw new InvalidOperationException("the previous Ready has not been advanced");
        var hs = CurrentHardState;
        var ss = CurrentSoftState;
        var rd = new Ready
        {
            SoftState = ss != _prevSoftState ? ss : null,
            HardState = hs != _prevHardState ? hs : null,
            Entries = _log.UnstableEntries.ToArray(),
            Snapshot = _log.UnstableSnapshot,
            CommittedEntries = _log.NextCommitted(_options.MaxCommittedBytesPerReady),
            Messages = _messages.ToArray(),
            ReadStates = _readStates.ToArray(),
            MustSync = _log.UnstableEntries.Count > 0 || _log.UnstableSnapshot is not null ||
                       hs.Term != _prevHardState.Term || hs.Vote != _prevHardState.Vote,
            MessagesMayPrecedePersist = _role == ReplicaRole.Leader && _log.UnstableSnapshot is null &&
                                        hs.Term == _prevHardState.Term && hs.Vote == _prevHardState.Vote,
        };
        _messages.Clear();
        _readStates.Clear();
        _prevSoftState = ss;
        _readyInFlight = true;
        return rd;
    }

    /// <summary>The host has persisted, sent and applied everything in <paramref name="rd"/>.</summary>
    public void Advance(Ready rd)
    {
        if (!_readyInFlight) throw new InvalidOperationException("no Ready in flight");
        _readyInFlight = false;
        if (rd.HardState is { } hs) _prevHardState = hs;
        if (rd.Snapshot is { } snap)
        {
            _log.StableSnapshotTo(snap.Metadata.Index);
            _log.AppliedSnapshot(snap.Metadata.Index);
        }
        if (rd.Entries.Count > 0)
        {
            var last = rd.Entries[^1];
            _log.StableTo(last.Index, last.Term);
            if (_role == ReplicaRole.Leader && _progress.TryGetValue(Id, out var self) && self.MaybeUpdate(_log.StableLastIndex))
            {
                // Our own disk now holds these entries: they count toward the quorum.
                if (MaybeCommit()) BroadcastAppend();
                MaybeStartReadRound();
            }
        }
        if (rd.CommittedEntries.Count > 0)
        {
            _log.AppliedTo(rd.CommittedEntries[^1].Index);
        }
        CheckInvariants();
    }
}
