namespace Coordinator.Grains.Raft;

public sealed partial class Replica
{
    /// <summary>Leader checks before a config change enters the log; null when it may be proposed.</summary>
    private ProposeOutcome? CheckConfigChange(ConfigChange cc)
    {
        if (_pendingConfigIndex > _log.Applied) return ProposeOutcome.DroppedConfigChangePending;
        var valid = cc.Type switch
        {
            ConfigChangeType.AddVoter => !_membership.IsVoter(cc.NodeId),
            ConfigChangeType.AddLearner => !_membership.Contains(cc.NodeId),
            ConfigChangeType.PromoteLearner => _membership.IsLearner(cc.NodeId),
            ConfigChangeType.RemoveMember => _membership.Contains(cc.NodeId) &&
                                              !(_membership.Voters.Count == 1 && _membership.IsVoter(cc.NodeId)),
            _ => false,
        };
        if (!valid) return ProposeOutcome.DroppedInvalidConfigChange;
        if (cc.Type is ConfigChangeType.PromoteLearner or ConfigChangeType.AddVoter && _membership.IsLearner(cc.NodeId))
        {
            var match = _progress.TryGetValue(cc.NodeId, out var pr) ? pr.Match : 0;
            if (match + _options.PromoteMaxLag < _log.Committed) return ProposeOutcome.DroppedLearnerNotCaughtUp;
        }
        return null;
    }

    /// <summary>Applies a committed config change (called as its entry is applied, in log order).</summary>
    private void ApplyConfigChange(ConfigChange cc, ulong index)
    {
        _membership = _membership.Apply(cc);
        if (_role != ReplicaRole.Leader) return;
        foreach (var id in _membership.All)
        {
            if (!_progress.TryGetValue(id, out var pr)) _progress[id] = NewProgress(id);
            else pr.IsLearner = _membership.IsLearner(id);
        }
        foreach (var id in _progress.Keys.Where(id => !_membership.Contains(id)).ToList())
            _progress.Remove(id);
        if (!_membership.Contains(Id))
        {
            // Removed ourselves: stop leading, but first make sure the remaining voters learn the commit.
            _lameDuckRemovalIndex = index;
            _leadTransferee = 0;
            BroadcastAppend();
            return;
        }
        if (_leadTransferee != 0 && !_membership.IsVoter(_leadTransferee)) _leadTransferee = 0;
        // The quorum changed: entries may now be committed, and read rounds may be confirmed.
        if (MaybeCommit()) BroadcastAppend();
        MaybeStartReadRound();
    }

    /// <summary>Rebuilds the membership from config entries already applied by the host before a restart.</summary>
    private void ReplayConfigChanges(ulong from, ulong to)
    {
        for (var i = Math.Max(from, _log.FirstIndex); i <= to;)
        {
            var batch = _log.TrySlice(i, to + 1, long.MaxValue);
            if (batch is null || batch.Count == 0) break;
            foreach (var e in batch)
                if (e.Type == EntryType.ConfigChange) _membership = _membership.Apply(ConfigChange.Decode(e.Data.Span));
            i = batch[^1].Index + 1;
        }
    }
}
