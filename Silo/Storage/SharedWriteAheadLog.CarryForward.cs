using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>
/// Carry-forward: what keeps the shared log's disk use bounded when a group never snapshots (a quiet group
/// with a few entries, below its snapshot threshold, beside groups that churn). Without it that group's
/// entries pin the oldest segment, and since segments go oldest first, every later one too.
/// <para>
/// When a segment is started and the log holds more than <see cref="WalOptions.SegmentSlack"/> segments
/// beyond twice its groups' live entries (above each group's snapshot), the writer takes the groups that
/// still need the oldest segment and writes, for each, its snapshot marker, all its live entries as one
/// ordinary entries record, and its HardState at the end of the current segment; fsyncs; points the
/// group's entry locations at the copies; and only then deletes the segments no group needs any more.
/// The writer does nothing else meanwhile, so no write of the group falls between copy and original.
/// </para>
/// Why recovery needs no change: a copy is an entries record starting at the group's first live index,
/// written after every earlier record of the group, so replay (<see cref="LogReplay"/>) truncates the run
/// from there and puts back the same entries (same indexes and terms): with or without the originals, the
/// log is the one written. One record per group makes the copy all-or-nothing: a crash before the fsync
/// leaves a torn tail, cut at recovery, and the originals (not deleted yet) stand alone; a crash after it
/// leaves both or, during the deletions, a prefix fewer. A later conflicting append of the group truncates
/// the copy as it would the originals.
/// <para>
/// Bound: the segments kept are at most SegmentSlack + 2 × live bytes / segment size (plus the current
/// one, which a copy may stretch past its nominal size). Each carry writes at most the live bytes of the
/// groups it moves, and a moved group is not moved again before the log has written about as much as the
/// segments kept, so carrying adds at most about half again to the bytes written.
/// </para>
/// Limits: a carried group keeps only its newest snapshot usable (entries between an older kept snapshot
/// and it are not copied): if that snapshot's file is later found damaged, recovery reports the missing
/// entries instead of falling back. Live bytes are summed over every group's entry locations at each
/// segment roll (memory only, no I/O).
/// </summary>
public sealed partial class SharedWriteAheadLog
{
    private long _carryForwardCount;

    /// <summary>Number of groups carried forward since open.</summary>
    public long CarryForwardCount => Interlocked.Read(ref _carryForwardCount);

    /// <summary>Runs on the writer once a batch that started a segment is acknowledged.</summary>
    private void CarryForwardIfNeeded()
    {
        if (_segments.Count <= _options.SegmentSlack + 1) return;
        var limit = _options.SegmentSlack + 1 + 2 * (LiveBytes() + _options.SegmentSizeBytes - 1) / _options.SegmentSizeBytes;
        while (_segments.Count > limit && _segments.Count > 1)
        {
            var oldest = _segments[0].Sequence;
            List<WalGroup> pinning;
            lock (_groupsLock) pinning = _groups.Values.Where(g => g.Segments.OldestNeeded == oldest).ToList();
            if (pinning.Count > 0) CarryForward(pinning);
            var before = _segments.Count;
            DeleteSegmentsNoGroupNeeds();
            if (_segments.Count == before) return; // nothing more can go
        }
    }

    /// <summary>Sum of the sizes of every group's entries above its snapshot, as written.</summary>
    private long LiveBytes()
    {
        long bytes = 0;
        lock (_groupsLock)
            foreach (var group in _groups.Values)
            {
                var locations = group.State.Locations; // only the writer changes it
                for (var i = locations.First; i < locations.End; i++) bytes += locations[i].Size;
            }
        return bytes;
    }

    /// <summary>Copies each group's marker, live entries and HardState into the current segment and makes
    /// them durable; the copies are then where reads find the entries. The caller deletes what is freed.</summary>
    private void CarryForward(List<WalGroup> groups)
    {
        _buffer.ResetWrittenCount();
        _batchOffset = _current!.Length;
        var copies = new List<PendingWrite>(groups.Count);
        foreach (var group in groups)
        {
            var live = new List<Entry>();
            lock (group.StateLock)
            {
                var state = group.State;
                if (state.LastIndex >= state.FirstIndex) ReadEntries(group, state.FirstIndex, state.LastIndex + 1, live);
            }
            if (group.WrittenMarker is { } marker) WalRecordCodec.WriteSnapshotMarker(_buffer, group.Id, marker with { ReplacesLog = false });
            group.Segments.Clear();
            var copy = new PendingWrite { Group = group, Entries = live };
            if (live.Count > 0) EncodeEntries(copy, group);
            if (!group.WrittenHardState.IsEmpty) WalRecordCodec.WriteHardState(_buffer, group.Id, group.WrittenHardState);
            copies.Add(copy);
        }
        Append();
        Sync();
        foreach (var copy in copies)
        {
            if (copy.Entries.Count == 0) continue;
            lock (copy.Group.StateLock) copy.Group.State.Relocate(copy.Locations);
        }
        Interlocked.Add(ref _carryForwardCount, groups.Count);
    }

    /// <summary>Entries [lo, end) of <paramref name="group"/>, from its cache or read back from the segments.
    /// The caller holds the group's state lock and has checked the range.</summary>
    internal void ReadEntries(WalGroup group, ulong lo, ulong end, List<Entry> into)
    {
        var state = group.State;
        var cachedFrom = Math.Clamp(state.Cache.First, lo, end);
        if (lo < cachedFrom) Reader.Read(group.Id, state.Locations, lo, cachedFrom, into);
        for (var i = cachedFrom; i < end; i++) into.Add(state.Cache[i]);
    }
}
