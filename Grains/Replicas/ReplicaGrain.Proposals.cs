using Coordinator.Grains.Raft;

namespace Coordinator.Grains.Replicas;

public sealed partial class ReplicaGrain
{
    private sealed record PendingProposal(ulong Term, long Deadline, TaskCompletionSource<ProposalResult> Answer);

    /// <summary>Proposals appended by this leader, by log index, until the entry at that index applies.</summary>
    private readonly Dictionary<ulong, PendingProposal> _proposals = new();

    public Task<ProposalResult> Propose(byte[] data)
    {
        if (data.Length == 0) throw new ArgumentException("a proposal must not be empty (an empty entry is a new leader's own)", nameof(data));
        if (_replica is null || _stopped is not null)
            return Task.FromResult(ProposalResult.Failed(ProposalOutcome.Stopped, $"replica {_name} is not serving"));
        if (_replica.Role != ReplicaRole.Leader)
        {
            // A quiet follower wakes: if the leader it names is gone, its election timer must run to replace it.
            _replica.Wake();
            EnsureTicking();
            return Task.FromResult(ProposalResult.NotLeader(_durableSoftState.Leader));
        }
        var appended = _replica.Propose(data);
        if (appended.Outcome != ProposeOutcome.Appended)
            return Task.FromResult(ProposalResult.Failed(ProposalOutcome.Dropped, appended.Reason));
        var answer = new TaskCompletionSource<ProposalResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _proposals[appended.Index] = new PendingProposal(appended.Term, Environment.TickCount64 + (long)_options.ProposalTimeout.TotalMilliseconds, answer);
        Pump();
        EnsureTicking();
        return answer.Task;
    }

    /// <summary>Applies one committed entry and answers the proposal waiting at its index: applied when the entry
    /// is the one proposed (same term), dropped when another leader's entry took the index.</summary>
    private void Apply(Entry entry)
    {
        var result = entry.Type == EntryType.Normal && !entry.Data.IsEmpty ? _stateMachine!.Apply(entry) : [];
        if (!_proposals.Remove(entry.Index, out var pending)) return;
        pending.Answer.TrySetResult(pending.Term == entry.Term
            ? ProposalResult.Applied(entry.Index, entry.Term, result)
            : ProposalResult.Failed(ProposalOutcome.Dropped, $"overwritten: a new leader committed another entry at index {entry.Index}", entry.Index, pending.Term));
    }

    /// <summary>An installed snapshot covers these indexes: whether a proposal among them applied is unknown here.</summary>
    private void FailProposalsThrough(ulong index)
    {
        foreach (var at in _proposals.Keys.Where(i => i <= index).ToArray())
        {
            _proposals.Remove(at, out var pending);
            pending!.Answer.TrySetResult(ProposalResult.Failed(ProposalOutcome.TimedOut,
                $"a snapshot from the leader replaced the log through index {index}; the entry may have committed", at, pending.Term));
        }
    }

    private void ExpireProposals()
    {
        if (_proposals.Count == 0) return;
        var now = Environment.TickCount64;
        foreach (var (index, pending) in _proposals.Where(p => p.Value.Deadline <= now).ToArray())
        {
            _proposals.Remove(index);
            pending.Answer.TrySetResult(ProposalResult.Failed(ProposalOutcome.TimedOut,
                $"not applied within {_options.ProposalTimeout.TotalSeconds:0.#}s; it may still commit", index, pending.Term));
        }
    }

    private void FailAllProposals(ProposalOutcome outcome, string reason)
    {
        foreach (var (index, pending) in _proposals)
            pending.Answer.TrySetResult(ProposalResult.Failed(outcome, reason, index, pending.Term));
        _proposals.Clear();
    }
}
