using Coordinator.Grains.Store;
using Xunit;

namespace Coordinator.Tests.Store;

public class KeyHistoryTests
{
    private readonly ValueArena _values = new(chunkBytes: 64);

    private KeyRecord Put(long main, long version, string value) =>
        new() { Main = main, CreateRevision = 2, Version = version, Value = _values.Append(System.Text.Encoding.ASCII.GetBytes(value)) };

    [Fact]
    public void GrowsFromInlineToArrayAndCompactsBack()
    {
        var h = new KeyHistory([1]);
        h.Append(Put(2, 1, "a"));
        Assert.True(h.IsLive);
        h.Append(Put(3, 2, "b"));
        h.Append(KeyRecord.Tombstone(new Revision(4, 0)));
        h.Append(Put(6, 1, "c"));
        Assert.Equal(4, h.Count);
        Assert.True(h.TryGetVisible(3, out var at3));
        Assert.Equal("b", System.Text.Encoding.ASCII.GetString(_values.Span(at3.Value)));
        Assert.False(h.TryGetVisible(5, out _));
        Assert.False(h.TryGetVisible(1, out _));

        h.Compact(3, _values);
        Assert.Equal([3L, 4L, 6L], h.Records.ToArray().Select(r => r.Main));
        h.Compact(5, _values); // newest at or below 5 is a tombstone: dropped too
        Assert.Equal(1, h.Count);
        Assert.Equal(6, h.Latest.Main);
        h.Append(Put(7, 2, "d"));
        Assert.Equal([6L, 7L], h.Records.ToArray().Select(r => r.Main));
        h.Append(KeyRecord.Tombstone(new Revision(8, 0)));
        h.Compact(8, _values);
        Assert.True(h.IsEmpty);
        Assert.Equal(0, _values.LiveBytes); // every dropped record released its value
        Assert.False(h.IsLive);
    }
}
