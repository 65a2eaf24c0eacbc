namespace Coordinator.Grains.Raft;

public enum VoteOutcome { Pending, Won, Lost }

/// <summary>Majority arithmetic over a set of voters (N/2+1). Pure functions.</summary>
public static class Quorum
{
    /// <summary>The highest index that a majority of <paramref name="voters"/> has durably (Match).</summary>
    public static ulong CommittedIndex(IReadOnlyCollection<ulong> voters, Func<ulong, ulong> matchOf)
    {
        if (voters.Count == 0) return ulong.MaxValue; // no voters: nothing constrains (caller guards)
        var matches = new ulong[voters.Count];
        var i = 0;
        foreach (var v in voters) matches[i++] = matchOf(v);
        Array.Sort(matches);
        // ascending: the element at n - quorum is held by at least quorum voters
        return matches[voters.Count - (voters.Count / 2 + 1)];
    }

    public static VoteOutcome Tally(IReadOnlyCollection<ulong> voters, IReadOnlyDictionary<ulong, bool> votes)
    {
        int granted = 0, rejected = 0;
        foreach (var v in voters)
            if (votes.TryGetValue(v, out var g)) { if (g) granted++; else rejected++; }
        var quorum = voters.Count / 2 + 1;
        if (granted >= quorum) return VoteOutcome.Won;
        if (voters.Count - rejected < quorum) return VoteOutcome.Lost;
        return VoteOutcome.Pending;
    }

    /// <summary>True if the members in <paramref name="active"/> include a majority of <paramref name="voters"/>.</summary>
    public static bool HasMajority(IReadOnlyCollection<ulong> voters, Func<ulong, bool> active) =>
        voters.Count(active) >= voters.Count / 2 + 1;
}
