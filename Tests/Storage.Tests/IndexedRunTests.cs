using Coordinator.Silo.Storage;
using Xunit;

namespace Coordinator.Tests.Storage;

/// <summary>The WAL's run of per-entry items behaves as a list indexed from First, across block boundaries.</summary>
public class IndexedRunTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RandomAppendsCutsAndDropsAgreeWithAList(int seed)
    {
        var random = new Random(seed);
        var run = new IndexedRun<string>(first: 10);
        var model = new List<string>();
        ulong first = 10;
        for (var step = 0; step < 3000; step++)
        {
            var end = first + (ulong)model.Count;
            switch (random.Next(10))
            {
                case < 6: // append a burst, often crossing a block boundary
                    for (int i = 0, n = random.Next(1, 700); i < n; i++)
                    {
                        var item = $"{end + (ulong)i}/{step}";
                        run.Add(item);
                        model.Add(item);
                    }
                    break;
                case < 8: // cut a suffix
                {
                    var at = first + (ulong)random.Next(model.Count + 1);
                    run.TruncateFrom(at);
                    model.RemoveRange((int)(at - first), model.Count - (int)(at - first));
                    break;
                }
                case 8: // drop a prefix
                {
                    var at = first + (ulong)random.Next(model.Count + 1);
                    run.DropBefore(at);
                    model.RemoveRange(0, (int)(at - first));
                    first = at;
                    break;
                }
                default:
                    if (random.Next(20) == 0)
                    {
                        first = end + 5;
                        run.Reset(first);
                        model.Clear();
                    }
                    break;
            }
            Assert.Equal(first, run.First);
            Assert.Equal(model.Count, run.Count);
            Assert.Equal(first + (ulong)model.Count, run.End);
            if (model.Count > 0)
            {
                // Spot checks plus both ends: the whole run each step would make the test quadratic.
                Assert.Equal(model[0], run[first]);
                Assert.Equal(model[^1], run[first + (ulong)model.Count - 1]);
                var k = random.Next(model.Count);
                Assert.Equal(model[k], run[first + (ulong)k]);
            }
            Assert.Throws<ArgumentOutOfRangeException>(() => run[first + (ulong)model.Count]);
        }
        for (var k = 0; k < model.Count; k++) Assert.Equal(model[k], run[first + (ulong)k]);
    }

    [Fact]
    public void OutOfRangeCutsAndDropsAreRefused()
    {
        var run = new IndexedRun<int>(first: 5);
        run.Add(1);
        run.Add(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => run.TruncateFrom(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => run.TruncateFrom(8));
        Assert.Throws<ArgumentOutOfRangeException>(() => run.DropBefore(8));
        Assert.Throws<ArgumentOutOfRangeException>(() => run[4]);
        Assert.Equal(2, run[6]);
    }
}
