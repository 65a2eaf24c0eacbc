using System.Collections.Immutable;

namespace Coordinator.Grains.Raft;

/// <summary>
/// The voters and learners of a group. Voters elect leaders and form quorums; learners only replicate.
/// A node is never both. Immutable.
/// </summary>
public sealed record Membership(ImmutableSortedSet<ulong> Voters, ImmutableSortedSet<ulong> Learners)
{
    public static readonly Membership Empty = new(ImmutableSortedSet<ulong>.Empty, ImmutableSortedSet<ulong>.Empty);

    public static Membership OfVoters(params ulong[] voters) =>
        new(ImmutableSortedSet.CreateRange(voters), ImmutableSortedSet<ulong>.Empty);

    public bool IsVoter(ulong id) => Voters.Contains(id);
    public bool IsLearner(ulong id) => Learners.Contains(id);
    public bool Contains(ulong id) => Voters.Contains(id) || Learners.Contains(id);
    public IEnumerable<ulong> All => Voters.Concat(Learners);

    /// <summary>N/2+1 of the voters.</summary>
    public int Quorum => Voters.Count / 2 + 1;

    /// <summary>The membership after <paramref name="change"/>; changes that do not apply leave it as is.</summary>
    public Membership Apply(ConfigChange change) => change.Type switch
    {
        ConfigChangeType.AddVoter => new(Voters.Add(change.NodeId), Learners.Remove(change.NodeId)),
        ConfigChangeType.AddLearner when !Voters.Contains(change.NodeId) => this with { Learners = Learners.Add(change.NodeId) },
        ConfigChangeType.PromoteLearner when Learners.Contains(change.NodeId) =>
            new(Voters.Add(change.NodeId), Learners.Remove(change.NodeId)),
        ConfigChangeType.RemoveMember => new(Voters.Remove(change.NodeId), Learners.Remove(change.NodeId)),
        _ => this,
    };

    public bool Equals(Membership? other) =>
        other is not null && Voters.SequenceEqual(other.Voters) && Learners.SequenceEqual(other.Learners);

    public override int GetHashCode() => HashCode.Combine(Voters.Count, Learners.Count, Voters.FirstOrDefault());

    public override string ToString() =>
        $"voters=({string.Join(",", Voters)})" + (Learners.IsEmpty ? "" : $" learners=({string.Join(",", Learners)})");
}
