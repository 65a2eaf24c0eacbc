using Coordinator.Grains.Raft;
using Xunit;

namespace Coordinator.Tests.Raft.Units;

public sealed class UnstableLogTests
{
    private static Entry[] Es(ulong first, params ulong[] terms) => terms.Select((t, i) => new Entry(first + (ulong)i, t)).ToArray();

    [Theory]
    // offset, existing terms, append at, appended terms → offset after, indexes after
    [InlineData(5UL, new ulong[] { 1, 1 }, 7UL, new ulong[] { 2 }, 5UL, "5:1 6:1 7:2")]    // plain append
    [InlineData(5UL, new ulong[] { 1, 1 }, 6UL, new ulong[] { 2 }, 5UL, "5:1 6:2")]        // truncate inside
    [InlineData(5UL, new ulong[] { 1, 1 }, 5UL, new ulong[] { 2, 2 }, 5UL, "5:2 6:2")]     // replace all
    [InlineData(5UL, new ulong[] { 1, 1 }, 3UL, new ulong[] { 2 }, 3UL, "3:2")]            // before offset: storage tail is replaced
    public void TruncateAndAppend(ulong offset, ulong[] existing, ulong at, ulong[] terms, ulong offsetAfter, string after)
    {
        var u = new UnstableLog(offset);
        if (existing.Length > 0) u.TruncateAndAppend(Es(offset, existing));
        u.TruncateAndAppend(Es(at, terms));
        Assert.Equal(offsetAfter, u.Offset);
        Assert.Equal(after, string.Join(" ", u.Entries.Select(e => $"{e.Index}:{e.Term}")));
    }

    [Fact]
    public void StableTo_IgnoresReplacedEntries()
    {
        var u = new UnstableLog(5);
        u.TruncateAndAppend(Es(5, 1, 1, 1));
        u.StableTo(6, 2);                    // term mismatch: written entries were replaced meanwhile
        Assert.Equal(5UL, u.Offset);
        u.StableTo(6, 1);
        Assert.Equal(7UL, u.Offset);
        Assert.Single(u.Entries);
        u.StableTo(4, 1);                    // below offset: no-op
        Assert.Equal(7UL, u.Offset);
    }

    [Fact]
    public void Snapshot_SetsOffsetAndAnswersItsTerm()
    {
        var u = new UnstableLog(3);
        u.TruncateAndAppend(Es(3, 1));
        u.Restore(new Snapshot(new SnapshotMetadata(10, 4, Membership.Empty), ReadOnlyMemory<byte>.Empty));
        Assert.Equal(11UL, u.Offset);
        Assert.Empty(u.Entries);
        Assert.True(u.TryTerm(10, out var t));
        Assert.Equal(4UL, t);
        Assert.Equal(11UL, u.MaybeFirstIndex);
        Assert.Equal(10UL, u.MaybeLastIndex);
        u.StableSnapshotTo(10);
        Assert.Null(u.Snapshot);
    }
}
