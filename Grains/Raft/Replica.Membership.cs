namespace Coordinator.Grains.Raft;

public sealed partial class Replica
{
    /// <summary>Membership at the snapshot (the log's start).</summary>
    private Membership _baseMembership = Membership.Empty;
    /// <summary>Config entries in the log, in index order, with the membership each one produces. The latest
    /// one is in effect as soon as it is appended (Raft thesis §4.1), so a member that has the entry removing
    /// the leader can elect a new one without first learning that it committed.</summary>
    private readonly List<(ulong Index, Membership After)> _configHistory = new();

    private ulong LatestConfigIndex => _configHistory.Count > 0 ? _configHistory[^1].Index : 0;

    /// <summary>The membership before the latest config entry.</summary>
    private Membership PreviousMembership =>
        _configHistory.Count > 1 ? _configHistory[^2].After : _configHistory.Count == 1 ? _baseMembership : _membership;

    /// <summary>The membership as of the applied index: what a snapshot taken now must record.</summary>
    public Membership AppliedMembership
    {
        get
        {
            for (var i = _configHistory.Count - 1; i >= 0; i--)
                if (_configHistory[i].Index <= _log.Applied) return _configHistory[i].After;
            return _baseMembership;
        }
    }

    private void ResetMembership(Membership atSnapshot)
    {
        _baseMembership = atSnapshot;
        _configHistory.Clear();
        _membership = atSnapshot;
    }

    /// <summary>Tracks config entries as they enter the log; entries replacing a conflicting tail first
    /// roll back the configs of the entries they replace.</summary>
    private void OnEntriesAppended(IReadOnlyList<Entry> entries)
    {
        var first = entries[0].Index;
        var changed = false;
        while (_configHistory.Count > 0 && _configHistory[^1].Index >= first)
        {
            _configHistory.RemoveAt(_configHistory.Count - 1);
            changed = true;
        }
        var current = _configHistory.Count > 0 ? _configHistory[^1].After : _baseMembership;
        foreach (var e in entries)
        {
            if (e.Type != EntryType.ConfigChange) continue;
            current = current.Apply(ConfigChange.Decode(e.Data.Span));
            _configHistory.Add((e.Index, current));
            changed = true;
        }
        if (!changed) return;
        _membership = current;
        if (_role == ReplicaRole.Leader) OnLeaderMembershipChanged();
    }

    /// <summary>Leader checks before a config change enters the log; null when it may be proposed.</summary>
    private ProposeOutcome? CheckConfigChange(ConfigChange cc)
    {
        // One change at a time: the previous one (and, after an election, an entry of our term) must commit first.
        if (_pendingConfigIndex > _log.Committed) return ProposeOutcome.DroppedConfigChangePending;
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
            // In sync: within PromoteMaxLag entries of the commit index, and never behind by more than a tenth of it.
            var match = _progress.TryGetValue(cc.NodeId, out var pr) ? pr.Match : 0;
            var allowedLag = Math.Min(_options.PromoteMaxLag, _log.Committed / 10);
            if (match + allowedLag < _log.Committed) return ProposeOutcome.DroppedLearnerNotCaughtUp;
        }
        return null;
    }

    /// <summary>Brings the leader's progress set in line with the membership in effect.</summary>
    private void OnLeaderMembershipChanged()
    {
        foreach (var id in _membership.All)
        {
            if (!_progress.TryGetValue(id, out var pr)) _progress[id] = NewProgress(id);
            else pr.IsLearner = _membership.IsLearner(id);
        }
        foreach (var id in _progress.Keys.Where(id => !_membership.Contains(id)).ToList())
            _progress.Remove(id);
        if (_leadTransferee != 0 && !_membership.IsVoter(_leadTransferee)) _leadTransferee = 0;
    }
}
