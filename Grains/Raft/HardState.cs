namespace Coordinator.Grains.Raft;

/// <summary>
/// The state a replica must persist before it sends any message of the same Ready:
/// the current term, whom it voted for in that term (0 = nobody), and the highest index known committed.
/// </summary>
public readonly record struct HardState(ulong Term, ulong Vote, ulong Commit)
{
    public static readonly HardState Empty = default;
    public bool IsEmpty => Term == 0 && Vote == 0 && Commit == 0;
    public override string ToString() => $"term={Term} vote={Vote} commit={Commit}";
}
