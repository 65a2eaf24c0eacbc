namespace Coordinator.Silo.Storage;

/// <summary>
/// Items at consecutive log indexes [<see cref="First"/>, <see cref="End"/>): appended and cut at the end,
/// dropped at the front in amortized O(1). Not thread-safe.
/// </summary>
internal sealed class IndexedRun<T>
{
    private const int CompactThreshold = 1024;

    private readonly List<T> _items = new();
    private int _head; // _items[_head] sits at First; slots below it are dropped (cleared)

    public IndexedRun(ulong first) => First = first;

    /// <summary>Index of the first item; when empty, the index the next <see cref="Add"/> gets.</summary>
    public ulong First { get; private set; }

    public int Count => _items.Count - _head;

    /// <summary>One past the last item's index.</summary>
    public ulong End => First + (ulong)Count;

    public T this[ulong index]
    {
        get
        {
            if (index < First || index >= End) throw new ArgumentOutOfRangeException(nameof(index), $"{index} outside [{First},{End})");
            return _items[_head + (int)(index - First)];
        }
    }

    /// <summary>Empties the run; the next item added sits at <paramref name="first"/>.</summary>
    public void Reset(ulong first)
    {
        _items.Clear();
        _head = 0;
        First = first;
        if (_items.Capacity > CompactThreshold) _items.Capacity = 0;
    }

    public void Add(T item) => _items.Add(item);

    /// <summary>Drops the items at <paramref name="index"/> and above (First &lt;= index &lt;= End).</summary>
    public void TruncateFrom(ulong index)
    {
        if (index < First || index > End) throw new ArgumentOutOfRangeException(nameof(index), $"{index} outside [{First},{End}]");
        var keep = (int)(index - First);
        _items.RemoveRange(_head + keep, Count - keep);
    }

    /// <summary>Drops the items below <paramref name="index"/> (First &lt;= index &lt;= End).</summary>
    public void DropBefore(ulong index)
    {
        if (index < First || index > End) throw new ArgumentOutOfRangeException(nameof(index), $"{index} outside [{First},{End}]");
        var drop = (int)(index - First);
        for (var i = 0; i < drop; i++) _items[_head + i] = default!; // release references now
        _head += drop;
        First = index;
        if (_head < CompactThreshold || _head * 2 < _items.Count) return;
        _items.RemoveRange(0, _head);
        _head = 0;
        if (_items.Capacity > CompactThreshold && _items.Count * 4 < _items.Capacity) _items.Capacity = _items.Count * 2;
    }
}
