using Coordinator.Grains.Raft;
using Xunit;

namespace Coordinator.Tests.Raft.Units;

public sealed class ProgressTests
{
    private static Progress Probe(ulong match, ulong next)
    {
        var p = new Progress(next, maxInflight: 2, isLearner: false);
        p.Match = match;
        return p;
    }

    [Fact]
    public void Probe_PausedAfterOneAppend_UntilAckOrHeartbeat()
    {
        var p = Probe(0, 5);
        Assert.False(p.IsPaused);
        p.ProbeSent = true;
        Assert.True(p.IsPaused);
        Assert.True(p.MaybeUpdate(4));
        Assert.False(p.IsPaused);
    }

    [Fact]
    public void Replicate_PausedWhenInflightWindowFull()
    {
        var p = Probe(4, 5);
        p.BecomeReplicate();
        Assert.Equal(5UL, p.Next);
        p.Inflights.Add(6); p.Inflights.Add(8);
        Assert.True(p.IsPaused);
        p.Inflights.FreeTo(6);
        Assert.False(p.IsPaused);
    }

    [Fact]
    public void Snapshot_AlwaysPaused_ProbeResumesAfterPendingSnapshot()
    {
        var p = Probe(3, 4);
        p.BecomeSnapshot(10);
        Assert.True(p.IsPaused);
        Assert.Equal(10UL, p.PendingSnapshot);
        p.BecomeProbe();
        Assert.Equal(11UL, p.Next);                  // max(match+1, pending+1)
        Assert.Equal(ProgressState.Probe, p.State);
    }

    [Theory]
    // state, match, next, rejected, hint → changed, next after
    [InlineData(ProgressState.Probe, 0UL, 10UL, 9UL, 3UL, true, 4UL)]      // hint skips back
    [InlineData(ProgressState.Probe, 0UL, 10UL, 5UL, 3UL, false, 10UL)]    // stale: not the probe we sent
    [InlineData(ProgressState.Probe, 5UL, 10UL, 9UL, 1UL, true, 6UL)]      // never below match+1
    [InlineData(ProgressState.Probe, 0UL, 10UL, 9UL, 20UL, true, 9UL)]     // never above the rejected index
    [InlineData(ProgressState.Replicate, 5UL, 10UL, 4UL, 1UL, false, 10UL)] // rejected <= match: stale
    [InlineData(ProgressState.Replicate, 5UL, 10UL, 8UL, 1UL, true, 6UL)]  // back to match+1
    public void MaybeDecreaseTo(ProgressState state, ulong match, ulong next, ulong rejected, ulong hint, bool changed, ulong nextAfter)
    {
        var p = Probe(match, next);
        if (state == ProgressState.Replicate) { p.BecomeReplicate(); p.Next = next; }
        Assert.Equal(changed, p.MaybeDecreaseTo(rejected, hint));
        Assert.Equal(nextAfter, p.Next);
    }

    [Fact]
    public void MaybeUpdate_NeverMovesMatchBack()
    {
        var p = Probe(5, 6);
        Assert.False(p.MaybeUpdate(3));
        Assert.Equal(5UL, p.Match);
        Assert.True(p.MaybeUpdate(8));
        Assert.Equal(9UL, p.Next);
    }
}
