using Coordinator.Grains.Raft;
using Xunit;
using static Coordinator.Tests.Storage.LogStates;

namespace Coordinator.Tests.Storage;

/// <summary>
/// The IRaftLogStorage contract. Every implementation derives from this class; durable ones override
/// <see cref="Reopen"/> so each state is also checked after a close and recovery.
/// </summary>
public abstract class LogStorageConformance
{
    protected abstract IRaftLogStorage Create();

    /// <summary>Closes <paramref name="storage"/> and opens the same data again; null when not durable.</summary>
    protected virtual IRaftLogStorage? Reopen(IRaftLogStorage storage) => null;

    /// <summary>Asserts <paramref name="check"/> now and, for durable storage, after a reopen; returns the
    /// storage to keep using.</summary>
    private IRaftLogStorage CheckAndReopen(IRaftLogStorage s, Action<IRaftLogStorage> check)
    {
        check(s);
        var before = Describe(s);
        var reopened = Reopen(s);
        if (reopened is null) return s;
        Assert.Equal(before, Describe(reopened));
        check(reopened);
        return reopened;
    }

    [Fact]
    public void NewStorageIsEmpty()
    {
        CheckAndReopen(Create(), s =>
        {
            Assert.Equal(HardState.Empty, s.HardState);
            Assert.True(s.Snapshot.IsEmpty);
            Assert.Equal(1ul, s.FirstIndex);
            Assert.Equal(0ul, s.LastIndex);
            Assert.True(s.TryTerm(0, out var t0));
            Assert.Equal(0ul, t0);
            Assert.False(s.TryTerm(1, out _));
        });
    }

    [Fact]
    public void AppendedEntriesAreReadBack()
    {
        var s = Create();
        s.Save(null, Range(1, 5, 1));
        s.Save(null, Range(6, 7, 2));
        CheckAndReopen(s, s =>
        {
            Assert.Equal(7ul, s.LastIndex);
            Assert.Equal([.. Range(1, 5, 1), .. Range(6, 7, 2)], s.Entries(1, 8, long.MaxValue));
            Assert.Equal(Range(3, 4, 1), s.Entries(3, 5, long.MaxValue));
            Assert.True(s.TryTerm(6, out var term));
            Assert.Equal(2ul, term);
        });
    }

    [Fact]
    public void EntriesStopAtMaxBytesButReturnAtLeastOne()
    {
        var s = Create();
        s.Save(null, Range(1, 5, 1));
        var size = E(1, 1).Size;
        Assert.Single(s.Entries(1, 6, 0));
        Assert.Equal(2, s.Entries(1, 6, 2 * size).Count);
        Assert.Equal(2, s.Entries(1, 6, 3 * size - 1).Count);
        Assert.Equal(5, s.Entries(1, 6, long.MaxValue).Count);
    }

    [Fact]
    public void EntriesOutsideTheLogThrow()
    {
        var s = Create();
        s.Save(null, Range(1, 3, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.Entries(0, 2, long.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.Entries(2, 5, long.MaxValue));
    }

    [Fact]
    public void SaveTruncatesAConflictingSuffix()
    {
        var s = Create();
        s.Save(null, Range(1, 6, 1));
        s.Save(null, Range(4, 5, 2));
        CheckAndReopen(s, s =>
        {
            Assert.Equal(5ul, s.LastIndex);
            Assert.Equal([.. Range(1, 3, 1), .. Range(4, 5, 2)], s.Entries(1, 6, long.MaxValue));
            Assert.False(s.TryTerm(6, out _));
        });
    }

    [Fact]
    public void SaveWithAGapThrowsAndChangesNothing()
    {
        var s = Create();
        s.Save(null, Range(1, 3, 1));
        Assert.Throws<InvalidOperationException>(() => s.Save(null, Range(5, 6, 1)));
        CheckAndReopen(s, s => Assert.Equal(3ul, s.LastIndex));
    }

    [Fact]
    public void HardStateIsReplacedAndKeptWhenNull()
    {
        var s = Create();
        s.Save(new HardState(1, 1, 0), Range(1, 2, 1));
        s.Save(new HardState(2, 3, 2), []);
        s.Save(null, Range(3, 3, 2));
        CheckAndReopen(s, s =>
        {
            Assert.Equal(new HardState(2, 3, 2), s.HardState);
            Assert.Equal(3ul, s.LastIndex);
        });
    }

    [Fact]
    public void TryTermAnswersAtTheSnapshotBoundaryOnly()
    {
        var s = Create();
        s.Save(null, [.. Range(1, 4, 1), .. Range(5, 8, 2)]);
        s.CreateSnapshot(5, Membership.OfVoters(1, 2, 3), new byte[] { 9 });
        CheckAndReopen(s, s =>
        {
            Assert.True(s.TryTerm(5, out var atSnapshot));
            Assert.Equal(2ul, atSnapshot);
            Assert.False(s.TryTerm(4, out _));
            Assert.False(s.TryTerm(0, out _));
            Assert.True(s.TryTerm(8, out var last));
            Assert.Equal(2ul, last);
            Assert.False(s.TryTerm(9, out _));
        });
    }

    [Fact]
    public void CreateSnapshotKeepsTheEntriesAboveIt()
    {
        var s = Create();
        s.Save(new HardState(2, 1, 6), [.. Range(1, 3, 1), .. Range(4, 8, 2)]);
        s.CreateSnapshot(6, Membership.OfVoters(1, 2), new byte[] { 1, 2, 3 });
        CheckAndReopen(s, s =>
        {
            Assert.Equal(7ul, s.FirstIndex);
            Assert.Equal(8ul, s.LastIndex);
            Assert.Equal(new SnapshotMetadata(6, 2, Membership.OfVoters(1, 2)), s.Snapshot.Metadata);
            Assert.Equal(new byte[] { 1, 2, 3 }, s.Snapshot.Data.ToArray());
            Assert.Equal(Range(7, 8, 2), s.Entries(7, 9, long.MaxValue));
            Assert.Equal(new HardState(2, 1, 6), s.HardState);
        });
    }

    [Fact]
    public void CreateSnapshotAtOrBelowTheCurrentOneIsIgnoredAndBeyondLastThrows()
    {
        var s = Create();
        s.Save(null, Range(1, 5, 1));
        s.CreateSnapshot(3, Membership.OfVoters(1), new byte[] { 3 });
        s.CreateSnapshot(2, Membership.OfVoters(1), new byte[] { 2 });
        Assert.Throws<ArgumentOutOfRangeException>(() => s.CreateSnapshot(6, Membership.OfVoters(1), new byte[] { 6 }));
        CheckAndReopen(s, s =>
        {
            Assert.Equal(3ul, s.Snapshot.Metadata.Index);
            Assert.Equal(new byte[] { 3 }, s.Snapshot.Data.ToArray());
            Assert.Equal(5ul, s.LastIndex);
        });
    }

    [Fact]
    public void ApplySnapshotReplacesTheWholeLog()
    {
        var s = Create();
        s.Save(new HardState(1, 1, 3), Range(1, 10, 1));
        s.ApplySnapshot(Snap(5, 3, "leader", 1, 2, 3));
        CheckAndReopen(s, s =>
        {
            Assert.Equal(6ul, s.FirstIndex);
            Assert.Equal(5ul, s.LastIndex);
            Assert.True(s.TryTerm(5, out var term));
            Assert.Equal(3ul, term);
            Assert.False(s.TryTerm(6, out _));
            Assert.Equal(Snap(5, 3, "leader", 1, 2, 3).Metadata, s.Snapshot.Metadata);
            Assert.Equal(new HardState(1, 1, 3), s.HardState);
        });
    }

    [Fact]
    public void ApplySnapshotThatIsNotNewerThrows()
    {
        var s = Create();
        s.ApplySnapshot(Snap(5, 2, "a", 1));
        Assert.Throws<InvalidOperationException>(() => s.ApplySnapshot(Snap(5, 2, "b", 1)));
        Assert.Throws<InvalidOperationException>(() => s.ApplySnapshot(Snap(4, 2, "c", 1)));
    }

    [Fact]
    public void AppendAfterApplySnapshotContinuesAboveIt()
    {
        var s = Create();
        s.ApplySnapshot(Snap(5, 2, "a", 1));
        s.Save(null, Range(6, 8, 3));
        CheckAndReopen(s, s =>
        {
            Assert.Equal(8ul, s.LastIndex);
            Assert.Equal(Range(6, 8, 3), s.Entries(6, 9, long.MaxValue));
        });
    }

    [Fact]
    public void EntriesAtOrBelowTheSnapshotAreIgnoredOnSave()
    {
        var s = Create();
        s.Save(null, Range(1, 6, 1));
        s.CreateSnapshot(4, Membership.OfVoters(1), ReadOnlyMemory<byte>.Empty);
        s.Save(null, Range(2, 4, 1));
        Assert.Equal(6ul, s.LastIndex);
        s.Save(null, [.. Range(3, 4, 1), .. Range(5, 7, 2)]);
        CheckAndReopen(s, s =>
        {
            Assert.Equal(5ul, s.FirstIndex);
            Assert.Equal(7ul, s.LastIndex);
            Assert.Equal(Range(5, 7, 2), s.Entries(5, 8, long.MaxValue));
        });
    }

    [Fact]
    public void EverythingSurvivesRepeatedReopens()
    {
        var s = Create();
        s.Save(new HardState(1, 2, 0), Range(1, 20, 1));
        s = CheckAndReopen(s, _ => { });
        s.Save(new HardState(2, 2, 10), Range(15, 25, 2));
        s.CreateSnapshot(12, Membership.OfVoters(1, 2, 3), new byte[] { 12 });
        s = CheckAndReopen(s, _ => { });
        s.ApplySnapshot(Snap(30, 3, "thirty", 1, 2));
        s = CheckAndReopen(s, _ => { });
        s.Save(new HardState(3, 1, 30), Range(31, 33, 3));
        CheckAndReopen(s, s =>
        {
            Assert.Equal(31ul, s.FirstIndex);
            Assert.Equal(33ul, s.LastIndex);
            Assert.Equal(new HardState(3, 1, 30), s.HardState);
            Assert.Equal(30ul, s.Snapshot.Metadata.Index);
        });
    }
}
