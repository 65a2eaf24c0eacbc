namespace Coordinator.Silo.Storage;

/// <summary>
/// The segments holding one group's entries, oldest first, each with the highest entry index of the group
/// written to it: the group needs a segment until its oldest kept snapshot covers that index. Noting a write
/// into the newest segment costs no allocation. Not thread-safe (owned by the writer loop, or by recovery).
/// </summary>
internal sealed class GroupSegmentUse
{
    private readonly Queue<(ulong Segment, ulong MaxIndex)> _earlier = new();
    private ulong _lastSegment;
    private ulong _lastMax;
    private bool _hasLast;

    /// <summary>Entries up to <paramref name="maxIndex"/> were written to <paramref name="segment"/> (the newest one).</summary>
    public void Note(ulong segment, ulong maxIndex)
    {
        if (_hasLast && segment == _lastSegment)
        {
            if (maxIndex > _lastMax) _lastMax = maxIndex;
            return;
        }
        if (_hasLast) _earlier.Enqueue((_lastSegment, _lastMax));
        (_lastSegment, _lastMax, _hasLast) = (segment, maxIndex, true);
    }

    /// <summary>The oldest kept snapshot is at <paramref name="floor"/>: the oldest segments whose entries of
    /// the group all lie at or below it are not needed by the group any more.</summary>
    public void Release(ulong floor)
    {
        while (_earlier.TryPeek(out var s) && s.MaxIndex <= floor) _earlier.Dequeue();
        if (_earlier.Count == 0 && _hasLast && _lastMax <= floor) _hasLast = false;
    }

    /// <summary>The group's log was replaced by a received snapshot, or the group was removed: no earlier
    /// entry of it is needed.</summary>
    public void Clear()
    {
        _earlier.Clear();
        _hasLast = false;
    }

    /// <summary>Sequence of the oldest segment the group still needs; ulong.MaxValue when none.</summary>
    public ulong OldestNeeded => _earlier.TryPeek(out var s) ? s.Segment : _hasLast ? _lastSegment : ulong.MaxValue;
}
