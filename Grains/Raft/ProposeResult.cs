namespace Coordinator.Grains.Raft;

public enum ProposeOutcome : byte
{
    /// <summary>Appended to the leader's log at Index/Term; committed when applied with that term.</summary>
    Appended,
    /// <summary>Sent to the leader; the host learns the outcome when the entry (by its own request id) applies.</summary>
    Forwarded,
    DroppedNoLeader,
    DroppedLeaderTransfer,
    /// <summary>A config change is still pending (proposed but not applied); one at a time.</summary>
    DroppedConfigChangePending,
    /// <summary>The config change does not apply to the current membership (see Reason).</summary>
    DroppedInvalidConfigChange,
    /// <summary>A learner is only promoted once it has caught up with the leader.</summary>
    DroppedLearnerNotCaughtUp,
    /// <summary>This replica was removed from the group.</summary>
    DroppedNotMember,
}

/// <summary>What became of a proposal. <see cref="Reason"/> is a sentence the host can show a client.</summary>
public readonly record struct ProposeResult(ProposeOutcome Outcome, ulong Index = 0, ulong Term = 0)
{
    public bool Accepted => Outcome is ProposeOutcome.Appended or ProposeOutcome.Forwarded;

    public string Reason => Outcome switch
    {
        ProposeOutcome.Appended => $"appended at {Term}/{Index}",
        ProposeOutcome.Forwarded => "forwarded to the leader",
        ProposeOutcome.DroppedNoLeader => "no leader",
        ProposeOutcome.DroppedLeaderTransfer => "leadership transfer in progress",
        ProposeOutcome.DroppedConfigChangePending => "a membership change is already in progress",
        ProposeOutcome.DroppedInvalidConfigChange => "the membership change does not apply to the current members",
        ProposeOutcome.DroppedLearnerNotCaughtUp => "can only promote a learner member which is in sync with leader",
        ProposeOutcome.DroppedNotMember => "this member has been removed from the cluster",
        _ => Outcome.ToString(),
    };
}
