using Coordinator.Grains.Store;
using Xunit;

namespace Coordinator.Tests.Store;

public class ValueArenaTests
{
    private static byte[] Bytes(int length, byte fill) => Enumerable.Repeat(fill, length).ToArray();

    [Fact]
    public void ValuesReadBackAcrossChunksAndEmptyNeedsNoSpace()
    {
        var arena = new ValueArena(chunkBytes: 64);
        var refs = Enumerable.Range(1, 40).Select(i => (i, arena.Append(Bytes(i % 15, (byte)i)))).ToList();
        var empty = arena.Append([]);

        foreach (var (i, r) in refs) Assert.Equal(Bytes(i % 15, (byte)i), arena.Span(r).ToArray());
        Assert.True(empty.IsEmpty);
        Assert.Equal(0, arena.Span(empty).Length);
        Assert.Equal(refs.Sum(r => (long)r.Item2.Length), arena.LiveBytes);
        Assert.True(arena.ChunkCount > 1);
    }

    [Fact]
    public void LargeValueGetsAChunkOfItsOwnAndIsDroppedOnRelease()
    {
        var arena = new ValueArena(chunkBytes: 64);
        var small = arena.Append(Bytes(10, 1));
        var large = arena.Append(Bytes(1000, 2));
        Assert.Equal(2, arena.ChunkCount);
        Assert.Equal(64 + 1000, arena.ChunkBytes);
        Assert.Equal(Bytes(1000, 2), arena.Span(large).ToArray());

        arena.Release(large);
        Assert.Equal(1, arena.ChunkCount);
        Assert.Equal(10, arena.LiveBytes);
        Assert.Equal(Bytes(10, 1), arena.Span(small).ToArray());
    }

    [Fact]
    public void ReleasingMoreThanAChunkHoldsIsRefused()
    {
        var arena = new ValueArena(chunkBytes: 64);
        var a = arena.Append(Bytes(8, 1));
        arena.Release(a);
        Assert.Throws<InvalidOperationException>(() => arena.Release(a));
    }

    [Fact]
    public void SlicesHandedOutStayIntactAfterTheirChunkIsDroppedAndSpaceReused()
    {
        var arena = new ValueArena(chunkBytes: 64);
        var first = arena.Append(Bytes(40, 7));
        var slice = arena.Memory(first);      // as a response or watch event holds it
        var frozen = arena.Freeze();         // as a snapshot being encoded holds it
        arena.Append(Bytes(40, 8));          // seals the first chunk
        arena.Release(first);                // first chunk dropped
        for (var i = 0; i < 10; i++) arena.Append(Bytes(40, 9));

        Assert.Equal(Bytes(40, 7), slice.ToArray());
        Assert.Equal(Bytes(40, 7), frozen.Span(first).ToArray());
    }

    [Fact]
    public void RelocationEmptiesSparseChunksAndKeepsEveryValue()
    {
        var arena = new ValueArena(chunkBytes: 64);
        var refs = new List<(ValueRef Ref, byte Fill)>();
        for (var i = 0; i < 200; i++) refs.Add((arena.Append(Bytes(16, (byte)i)), (byte)i));
        // Keep one value in four: every sealed chunk is a quarter full.
        var kept = new List<(ValueRef Ref, byte Fill)>();
        for (var i = 0; i < refs.Count; i++)
        {
            if (i % 4 == 0) kept.Add(refs[i]);
            else arena.Release(refs[i].Ref);
        }
        var before = arena.ChunkBytes;
        Assert.True(arena.HasSparseChunks);

        for (var i = 0; i < kept.Count; i++)
        {
            var r = kept[i].Ref;
            arena.Relocate(ref r);
            kept[i] = (r, kept[i].Fill);
        }

        Assert.False(arena.HasSparseChunks);
        Assert.True(arena.ChunkBytes <= before / 3, $"{arena.ChunkBytes} of {before}");
        Assert.Equal(50 * 16, arena.LiveBytes);
        foreach (var (r, fill) in kept) Assert.Equal(Bytes(16, fill), arena.Span(r).ToArray());
    }
}
