namespace Coordinator.Grains.Store;

/// <summary>
/// A set of sequence numbers as sorted, disjoint, non-adjacent half-open ranges [Start, End). Sequence numbers
/// that arrive mostly in order cost one range, plus one per gap. Not thread-safe.
/// </summary>
public sealed class SequenceRanges
{
    private readonly List<(ulong Start, ulong End)> _ranges = new();

    public int RangeCount => _ranges.Count;

    /// <summary>End of the lowest range (the set must not be empty).</summary>
    public ulong FirstRangeEnd => _ranges[0].End;

    public bool Contains(ulong value)
    {
        var i = IndexOfFirstEndAbove(value);
        return i < _ranges.Count && _ranges[i].Start <= value;
    }

    /// <summary>Adds <paramref name="value"/>; false if it was already there.</summary>
    public bool Add(ulong value)
    {
        if (value == ulong.MaxValue) throw new ArgumentOutOfRangeException(nameof(value));
        // Fast path: the next number after the newest range.
        if (_ranges.Count > 0 && _ranges[^1].End == value)
        {
            _ranges[^1] = (_ranges[^1].Start, value + 1);
            return true;
        }
        var i = IndexOfFirstEndAbove(value);            // first range with End > value
        if (i < _ranges.Count && _ranges[i].Start <= value) return false;
        var joinsLeft = i > 0 && _ranges[i - 1].End == value;
        var joinsRight = i < _ranges.Count && _ranges[i].Start == value + 1;
        if (joinsLeft && joinsRight)
        {
            _ranges[i - 1] = (_ranges[i - 1].Start, _ranges[i].End);
            _ranges.RemoveAt(i);
        }
        else if (joinsLeft) _ranges[i - 1] = (_ranges[i - 1].Start, value + 1);
        else if (joinsRight) _ranges[i] = (value, _ranges[i].End);
        else _ranges.Insert(i, (value, value + 1));
        return true;
    }

    /// <summary>Forgets every number below <paramref name="floor"/>.</summary>
    public void RemoveBelow(ulong floor)
    {
        var drop = 0;
        while (drop < _ranges.Count && _ranges[drop].End <= floor) drop++;
        _ranges.RemoveRange(0, drop);
        if (_ranges.Count > 0 && _ranges[0].Start < floor) _ranges[0] = (floor, _ranges[0].End);
    }

    private int IndexOfFirstEndAbove(ulong value)
    {
        int lo = 0, hi = _ranges.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_ranges[mid].End > value) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    public SequenceRanges Clone()
    {
        var copy = new SequenceRanges();
        copy._ranges.AddRange(_ranges);
        return copy;
    }

    public void WriteTo(BinaryWriter writer)
    {
        writer.Write(_ranges.Count);
        foreach (var (start, end) in _ranges)
        {
            writer.Write(start);
            writer.Write(end);
        }
    }

    /// <summary>Reads what <see cref="WriteTo"/> wrote, checking order and the count limit.</summary>
    public static SequenceRanges ReadFrom(BinaryReader reader, int maxRanges)
    {
        var count = reader.ReadInt32();
        if (count < 0 || count > maxRanges) throw new InvalidDataException($"bad range count {count}");
        var set = new SequenceRanges();
        for (var i = 0; i < count; i++)
        {
            var start = reader.ReadUInt64();
            var end = reader.ReadUInt64();
            if (end <= start || (i > 0 && start <= set._ranges[^1].End))
                throw new InvalidDataException("sequence ranges out of order");
            set._ranges.Add((start, end));
        }
        return set;
    }

    public override string ToString() => string.Join(",", _ranges.Select(r => r.End == r.Start + 1 ? $"{r.Start}" : $"{r.Start}-{r.End - 1}"));
}
