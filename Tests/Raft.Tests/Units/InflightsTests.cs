using Coordinator.Grains.Raft;
using Xunit;

namespace Coordinator.Tests.Raft.Units;

public sealed class InflightsTests
{
    [Fact]
    public void FullAtCapacity_FreeToReleasesAckedPrefix()
    {
        var w = new Inflights(3);
        w.Add(5); w.Add(7); Assert.False(w.Full);
        w.Add(9); Assert.True(w.Full);
        w.FreeTo(6); Assert.Equal(2, w.Count);      // 5 acked
        w.FreeTo(9); Assert.Equal(0, w.Count);
        w.FreeTo(100); Assert.Equal(0, w.Count);
    }

    [Fact]
    public void FreeFirstAndClear()
    {
        var w = new Inflights(2);
        w.Add(1); w.Add(2);
        w.FreeFirst(); Assert.Equal(1, w.Count);
        w.Clear(); Assert.Equal(0, w.Count);
        w.FreeFirst(); Assert.Equal(0, w.Count);    // no-op when empty
    }
}
