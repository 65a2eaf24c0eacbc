using System.Text;
using Coordinator.Grains.Store;
using Xunit;

namespace Coordinator.Tests.Store;

public class KeyIndexTests
{
    private static byte[] K(int i) => Encoding.ASCII.GetBytes($"{i:D6}");

    [Fact]
    public void RandomInsertsRemovesAndSeeksMatchASortedSet()
    {
        var random = new Random(11);
        var index = new KeyIndex();
        var model = new SortedSet<byte[]>(ByteKeyComparer.Instance);
        for (var step = 0; step < 40_000; step++)
        {
            var key = K(random.Next(8000));
            switch (random.Next(4))
            {
                case 0:
                    Assert.Equal(model.Remove(key), index.Remove(key));
                    break;
                default:
                    var h = index.GetOrAdd(key);
                    Assert.True(h.Key.AsSpan().SequenceEqual(key));
                    model.Add(key);
                    break;
            }
            if (step % 5000 == 0 && index.IsSparse) index.Rebuild();
        }
        Assert.Equal(model.Count, index.Count);
        Assert.Equal(model.Select(Encoding.ASCII.GetString), index.All().Select(h => Encoding.ASCII.GetString(h.Key)));
        for (var i = 0; i < 500; i++)
        {
            var bound = K(random.Next(8100));
            var expected = model.GetViewBetween(bound, K(999999)).Take(3).Select(Encoding.ASCII.GetString).ToList();
            var cursor = index.Seek(bound);
            var actual = new List<string>();
            while (actual.Count < 3 && cursor.TryNext(out var h)) actual.Add(Encoding.ASCII.GetString(h.Key));
            Assert.Equal(expected, actual);
            Assert.Equal(model.Contains(bound), index.Find(bound) is not null);
        }
    }

    [Fact]
    public void AscendingLoadFillsLeavesAndRebuildKeepsOrder()
    {
        var index = new KeyIndex();
        for (var i = 0; i < 10_000; i++) index.GetOrAdd(K(i));
        for (var i = 0; i < 10_000; i += 2) index.Remove(K(i));
        Assert.True(index.IsSparse);
        index.Rebuild();
        Assert.False(index.IsSparse);
        Assert.Equal(5000, index.Count);
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => $"{i * 2 + 1:D6}"), index.All().Select(h => Encoding.ASCII.GetString(h.Key)));
        index.GetOrAdd(K(4));
        Assert.NotNull(index.Find(K(4)));
    }

    [Fact]
    public void EmptyIndexSeeksNothing()
    {
        var index = new KeyIndex();
        Assert.False(index.Seek([0]).TryNext(out _));
        index.Load([]);
        Assert.False(index.First().TryNext(out _));
    }
}
