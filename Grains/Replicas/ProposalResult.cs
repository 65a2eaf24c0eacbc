namespace Coordinator.Grains.Replicas;

public enum ProposalOutcome : byte
{
    /// <summary>Committed and applied at Index/Term; Result is the state machine's answer.</summary>
    Applied,
    /// <summary>This replica does not lead; Leader is the one it last heard of (0 when none).</summary>
    NotLeader,
    /// <summary>Not appended, or overwritten before it committed (a new leader's entry took its index): never applied.</summary>
    Dropped,
    /// <summary>Not applied within the proposal timeout: it may still commit later.</summary>
    TimedOut,
    /// <summary>The replica stopped (failed write, deactivation) before the entry applied: it may still commit.</summary>
    Stopped,
}

/// <summary>What became of a proposal. <see cref="Reason"/> says why in a sentence when it did not apply.</summary>
[GenerateSerializer, Immutable]
public sealed record ProposalResult(
    [property: Id(0)] ProposalOutcome Outcome,
    [property: Id(1)] ulong Index,
    [property: Id(2)] ulong Term,
    [property: Id(3)] byte[] Result,
    [property: Id(4)] ulong Leader,
    [property: Id(5)] string Reason)
{
    public static ProposalResult Applied(ulong index, ulong term, byte[] result) => new(ProposalOutcome.Applied, index, term, result, 0, "");

    public static ProposalResult NotLeader(ulong leader) =>
        new(ProposalOutcome.NotLeader, 0, 0, [], leader, leader == 0 ? "no leader" : $"not the leader; member {leader} leads");

    public static ProposalResult Failed(ProposalOutcome outcome, string reason, ulong index = 0, ulong term = 0) =>
        new(outcome, index, term, [], 0, reason);
}
