using Coordinator.Grains.Raft;
using Xunit;

namespace Coordinator.Tests.Raft.Units;

public sealed class RaftLogTests
{
    /// <summary>A log whose storage holds entries 1..n with the given terms, committed up to <paramref name="commit"/>.</summary>
    private static RaftLog Log(ulong commit, params ulong[] terms)
    {
        var s = new MemoryLogStorage();
        s.Save(new HardState(terms.DefaultIfEmpty(0UL).Max(), 0, commit), terms.Select((t, i) => new Entry((ulong)i + 1, t)).ToList());
        var log = new RaftLog(s);
        log.CommitTo(commit);
        return log;
    }

    private static Entry[] Es(ulong first, params ulong[] terms) => terms.Select((t, i) => new Entry(first + (ulong)i, t)).ToArray();

    [Theory]
    [InlineData(3UL, 3UL, true)]    // higher last term wins, even if shorter
    [InlineData(3UL, 2UL, false)]   // same term, shorter
    [InlineData(5UL, 2UL, true)]
    [InlineData(9UL, 1UL, false)]   // longer but older
    [InlineData(4UL, 2UL, true)]    // same term, same length
    [InlineData(3UL, 1UL, false)]
    public void IsUpToDate_Section541(ulong lastIndex, ulong lastTerm, bool expected)
    {
        var log = Log(0, 1, 1, 2, 2); // last = 4/2
        Assert.Equal(expected, log.IsUpToDate(lastIndex, lastTerm));
    }

    [Fact]
    public void TryAppend_RejectsMismatchedPrev()
    {
        var log = Log(0, 1, 1, 2);
        Assert.False(log.TryAppend(3, 1, 0, Es(4, 3), out _, out _)); // entry 3 has term 2
        Assert.False(log.TryAppend(5, 2, 0, Es(6, 3), out _, out _)); // we lack 5
        Assert.Equal(3UL, log.LastIndex);
    }

    [Fact]
    public void TryAppend_TruncatesConflictingSuffixOnly()
    {
        var log = Log(1, 1, 1, 2, 2);
        Assert.True(log.TryAppend(1, 1, 3, Es(2, 1, 3), out var lastNew, out _));
        Assert.Equal(3UL, lastNew);
        Assert.Equal(3UL, log.LastIndex);           // 4/2 is gone with the conflicting 3/2
        Assert.Equal(3UL, log.Term(3));
        Assert.Equal(3UL, log.Committed);           // min(leader commit, last new)
    }

    [Fact]
    public void TryAppend_StaleDuplicateKeepsLongerLog()
    {
        var log = Log(0, 1, 1, 2, 2);
        Assert.True(log.TryAppend(1, 1, 0, Es(2, 1), out var lastNew, out _));
        Assert.Equal(2UL, lastNew);
        Assert.Equal(4UL, log.LastIndex);
    }

    [Fact]
    public void TryAppend_ConflictWithCommittedThrows()
    {
        var log = Log(3, 1, 1, 2);
        Assert.Throws<InvalidOperationException>(() => log.TryAppend(1, 1, 3, Es(2, 1, 3), out _, out _));
    }

    [Theory]
    [InlineData(7UL, 5UL, 7UL)]    // terms <= 5 end at 7
    [InlineData(7UL, 3UL, 4UL)]    // skip the whole term-4/5 run
    [InlineData(7UL, 1UL, 2UL)]
    [InlineData(7UL, 0UL, 0UL)]
    [InlineData(20UL, 4UL, 5UL)]   // beyond the log: start from the last index
    public void FindConflictByTerm(ulong index, ulong term, ulong expected)
    {
        var log = Log(0, 1, 1, 3, 3, 4, 5, 5); // 1..7
        Assert.Equal(expected, log.FindConflictByTerm(index, term));
    }

    [Fact]
    public void MaybeCommit_OnlyCurrentTerm()
    {
        var log = Log(0, 1, 2, 3);
        Assert.False(log.MaybeCommit(2, 3));        // entry 2 is of term 2, not 3
        Assert.Equal(0UL, log.Committed);
        Assert.True(log.MaybeCommit(3, 3));
        Assert.Equal(3UL, log.Committed);
    }

    [Fact]
    public void NextCommitted_HandsOutEachEntryOnce_WithinByteBudget()
    {
        var log = Log(0, 1, 1, 1, 1);
        log.CommitTo(4);
        var first = log.NextCommitted(maxBytes: 50); // Size = 24 per empty entry: two fit
        Assert.Equal(new ulong[] { 1, 2 }, first.Select(e => e.Index));
        log.AppliedTo(2);
        Assert.Equal(new ulong[] { 3, 4 }, log.NextCommitted(long.MaxValue).Select(e => e.Index));
        log.AppliedTo(4);
        Assert.Empty(log.NextCommitted(long.MaxValue));
        Assert.False(log.HasNextCommitted);
    }

    [Fact]
    public void AppliedBeyondCommittedThrows()
    {
        var log = Log(2, 1, 1, 1);
        Assert.Throws<InvalidOperationException>(() => log.AppliedTo(3));
    }

    [Fact]
    public void Slice_SpansStorageAndUnstable()
    {
        var log = Log(0, 1, 1);
        log.Append(Es(3, 2, 2));
        Assert.Equal(new ulong[] { 2, 3, 4 }, log.TrySlice(2, 5, long.MaxValue)!.Select(e => e.Index));
        Assert.Equal(new ulong[] { 2 }, log.TrySlice(2, 5, 1)!.Select(e => e.Index)); // at least one
    }

    [Fact]
    public void TermOfCompactedIndexIsUnknown_SnapshotIndexIsKnown()
    {
        var s = new MemoryLogStorage();
        s.Save(new HardState(2, 0, 4), Es(1, 1, 1, 2, 2));
        s.CreateSnapshot(3, Membership.OfVoters(1), ReadOnlyMemory<byte>.Empty);
        var log = new RaftLog(s);
        Assert.False(log.TryTerm(2, out _));
        Assert.Equal(2UL, log.Term(3));
        Assert.Null(log.TrySlice(2, 5, long.MaxValue));
        Assert.Equal(3UL, log.Committed);           // a snapshot is committed
    }

    [Fact]
    public void Restore_ReplacesLogWithSnapshot()
    {
        var log = Log(1, 1, 1, 1);
        var snap = new Snapshot(new SnapshotMetadata(10, 3, Membership.OfVoters(1, 2)), ReadOnlyMemory<byte>.Empty);
        log.Restore(snap);
        Assert.Equal(10UL, log.LastIndex);
        Assert.Equal(11UL, log.FirstIndex);
        Assert.Equal(10UL, log.Committed);
        Assert.Equal(3UL, log.LastTerm);
        Assert.Same(snap, log.UnstableSnapshot);
    }
}
