using Coordinator.Grains.Raft;
using Xunit;

namespace Coordinator.Tests.Raft.Units;

public sealed class QuorumTests
{
    [Theory]
    [InlineData(new ulong[] { 5 }, 5UL)]
    [InlineData(new ulong[] { 5, 3 }, 3UL)]                 // two voters: both must have it
    [InlineData(new ulong[] { 5, 3, 1 }, 3UL)]
    [InlineData(new ulong[] { 1, 5, 3 }, 3UL)]              // order does not matter
    [InlineData(new ulong[] { 7, 7, 2, 2 }, 2UL)]           // four voters: three must have it
    [InlineData(new ulong[] { 9, 8, 7, 1, 0 }, 7UL)]
    [InlineData(new ulong[] { 0, 0, 0 }, 0UL)]
    public void CommittedIndex_IsHeldByAMajority(ulong[] matches, ulong expected)
    {
        var voters = Enumerable.Range(1, matches.Length).Select(i => (ulong)i).ToList();
        Assert.Equal(expected, Quorum.CommittedIndex(voters, v => matches[v - 1]));
    }

    [Theory]
    [InlineData(3, "", VoteOutcome.Pending)]
    [InlineData(3, "1+", VoteOutcome.Pending)]
    [InlineData(3, "1+ 2+", VoteOutcome.Won)]
    [InlineData(3, "1+ 2- 3-", VoteOutcome.Lost)]
    [InlineData(3, "1+ 2-", VoteOutcome.Pending)]
    [InlineData(4, "1+ 2+", VoteOutcome.Pending)]           // 4 voters need 3
    [InlineData(4, "1+ 2+ 3-", VoteOutcome.Pending)]
    [InlineData(4, "1+ 2- 3-", VoteOutcome.Lost)]
    [InlineData(1, "1+", VoteOutcome.Won)]
    [InlineData(3, "1+ 9+", VoteOutcome.Pending)]           // a non-voter's grant does not count
    public void Tally_CountsOnlyVoters(int n, string votes, VoteOutcome expected)
    {
        var voters = Enumerable.Range(1, n).Select(i => (ulong)i).ToList();
        var dict = votes.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(v => ulong.Parse(v[..^1]), v => v[^1] == '+');
        Assert.Equal(expected, Quorum.Tally(voters, dict));
    }

    [Theory]
    [InlineData(3, new ulong[] { 1 }, false)]
    [InlineData(3, new ulong[] { 1, 3 }, true)]
    [InlineData(4, new ulong[] { 1, 2 }, false)]
    [InlineData(4, new ulong[] { 1, 2, 4 }, true)]
    [InlineData(5, new ulong[] { 1, 2, 9, 8 }, false)]      // non-voters do not count
    public void HasMajority(int n, ulong[] active, bool expected)
    {
        var voters = Enumerable.Range(1, n).Select(i => (ulong)i).ToList();
        Assert.Equal(expected, Quorum.HasMajority(voters, active.Contains));
    }
}
