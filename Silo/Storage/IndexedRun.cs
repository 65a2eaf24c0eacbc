namespace Coordinator.Silo.Storage;

/// <summary>
/// Items at consecutive log indexes [<see cref="First"/>, <see cref="End"/>): appended and cut at the end,
/// dropped at the front. Stored in fixed blocks of <see cref="BlockSize"/> items, so a run of a million
/// entries never reallocates one large array (each doubling would leave a hole in the large-object heap that
/// stays resident) and dropping the front frees whole blocks. Not thread-safe.
/// </summary>
internal sealed class IndexedRun<T>
{
    /// <summary>Items per block: 1024 items of up to 64 bytes stay below the large-object threshold.</summary>
    internal const int BlockSize = 1024;

    private readonly List<T[]?> _blocks = [];
    private int _headBlock;   // _blocks[_headBlock] holds First; blocks before it are dropped (null)
    private int _headOffset;  // position of First in that block

    public IndexedRun(ulong first) => First = first;

    /// <summary>Index of the first item; when empty, the index the next <see cref="Add"/> gets.</summary>
    public ulong First { get; private set; }

    public int Count { get; private set; }

    /// <summary>One past the last item's index.</summary>
    public ulong End => First + (ulong)Count;

    public T this[ulong index]
    {
        get
        {
            if (index < First || index >= End) throw new ArgumentOutOfRangeException(nameof(index), $"{index} outside [{First},{End})");
            var position = _headOffset + (int)(index - First);
            return _blocks[_headBlock + position / BlockSize]![position % BlockSize];
        }
    }

    /// <summary>Empties the run; the next item added sits at <paramref name="first"/>.</summary>
    public void Reset(ulong first)
    {
        _blocks.Clear();
        _headBlock = 0;
        _headOffset = 0;
        Count = 0;
        First = first;
    }

    public void Add(T item)
    {
        var position = _headOffset + Count;
        var block = _headBlock + position / BlockSize;
        if (block == _blocks.Count) _blocks.Add(new T[BlockSize]);
        _blocks[block]![position % BlockSize] = item;
        Count++;
    }

    /// <summary>Drops the items at <paramref name="index"/> and above (First &lt;= index &lt;= End).</summary>
    public void TruncateFrom(ulong index)
    {
        if (index < First || index > End) throw new ArgumentOutOfRangeException(nameof(index), $"{index} outside [{First},{End}]");
        var keep = (int)(index - First);
        var end = _headOffset + keep; // position, from the head block's start, one past the last kept item
        var blocks = _headBlock + Math.Max(1, (end + BlockSize - 1) / BlockSize); // at least the head block
        if (_blocks.Count > blocks) _blocks.RemoveRange(blocks, _blocks.Count - blocks);
        var usedInLast = end - (blocks - 1 - _headBlock) * BlockSize;
        if (_blocks.Count == blocks && usedInLast < BlockSize)
            Array.Clear(_blocks[blocks - 1]!, usedInLast, BlockSize - usedInLast); // release references now
        Count = keep;
    }

    /// <summary>Drops the items below <paramref name="index"/> (First &lt;= index &lt;= End).</summary>
    public void DropBefore(ulong index)
    {
        if (index < First || index > End) throw new ArgumentOutOfRangeException(nameof(index), $"{index} outside [{First},{End}]");
        var drop = (int)(index - First);
        while (drop > 0)
        {
            var block = _blocks[_headBlock]!;
            var n = Math.Min(drop, BlockSize - _headOffset);
            Array.Clear(block, _headOffset, n); // release references now
            _headOffset += n;
            drop -= n;
            if (_headOffset == BlockSize && _headBlock + 1 < _blocks.Count)
            {
                _blocks[_headBlock++] = null;
                _headOffset = 0;
            }
        }
        Count -= (int)(index - First);
        First = index;
        if (Count == 0)
        {
            Reset(index);
            return;
        }
        if (_headBlock >= 64 && _headBlock * 2 >= _blocks.Count)
        {
            _blocks.RemoveRange(0, _headBlock);
            _headBlock = 0;
        }
    }
}
