namespace Coordinator.Grains.Raft;

public enum ProgressState : byte
{
    /// <summary>Next is a guess: send one append per heartbeat until the follower accepts one.</summary>
    Probe,
    /// <summary>Matching: stream appends optimistically, bounded by the in-flight window.</summary>
    Replicate,
    /// <summary>Follower is behind the log start: a snapshot is on its way; send nothing else.</summary>
    Snapshot,
}

/// <summary>The leader's view of one member's log. Invariant: Match &lt; Next.</summary>
public sealed class Progress
{
    public ulong Match { get; internal set; }
    public ulong Next { get; internal set; }
    public ProgressState State { get; private set; } = ProgressState.Probe;
    /// <summary>Index of the snapshot being sent (Snapshot state only).</summary>
    public ulong PendingSnapshot { get; private set; }
    /// <summary>Heard from within the last election timeout (the leader's "active" notion, used by
    /// check-quorum and by the host's membership policy). New members start active (a grace period).</summary>
    public bool RecentActive => TicksSinceHeard < ActiveWindowTicks;
    internal int TicksSinceHeard;
    internal int ActiveWindowTicks = int.MaxValue;
    public bool IsLearner { get; internal set; }
    /// <summary>Probe state: an append is out and we wait for its answer or the next heartbeat.</summary>
    internal bool ProbeSent;
    internal int SnapshotTicks;
    internal readonly Inflights Inflights;

    internal Progress(ulong next, int maxInflight, bool isLearner)
    {
        Next = next;
        Inflights = new Inflights(maxInflight);
        IsLearner = isLearner;
    }

    internal void BecomeProbe()
    {
        Next = State == ProgressState.Snapshot ? Math.Max(Match + 1, PendingSnapshot + 1) : Match + 1;
        ResetState(ProgressState.Probe);
    }

    internal void BecomeReplicate()
    {
        Next = Match + 1;
        ResetState(ProgressState.Replicate);
    }

    internal void BecomeSnapshot(ulong snapshotIndex)
    {
        ResetState(ProgressState.Snapshot);
        PendingSnapshot = snapshotIndex;
    }

    private void ResetState(ProgressState state)
    {
        State = state;
        ProbeSent = false;
        PendingSnapshot = 0;
        SnapshotTicks = 0;
        Inflights.Clear();
    }

    /// <summary>An ack for <paramref name="index"/>; true if it moved Match forward.</summary>
    internal bool MaybeUpdate(ulong index)
    {
        var updated = false;
        if (Match < index) { Match = index; updated = true; ProbeSent = false; }
        Next = Math.Max(Next, index + 1);
        return updated;
    }

    /// <summary>A rejection of the append at <paramref name="rejected"/>; false if it is stale.</summary>
    internal bool MaybeDecreaseTo(ulong rejected, ulong hint)
    {
        if (State == ProgressState.Replicate)
        {
            if (rejected <= Match) return false;
            Next = Match + 1;
            return true;
        }
        if (Next - 1 != rejected) return false;
        Next = Math.Max(Math.Min(rejected, hint + 1), Match + 1);
        ProbeSent = false;
        return true;
    }

    internal bool IsPaused => State switch
    {
        ProgressState.Probe => ProbeSent,
        ProgressState.Replicate => Inflights.Full,
        _ => true,
    };

    public override string ToString() =>
        $"{State} match={Match} next={Next}" + (IsLearner ? " learner" : "") + "";
}
