using System.Buffers;
using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>The writer loop: the only code that writes segment files after open. Each batch holds the queued
/// writes of every group, appended as one write at the append position and made durable by one fsync. New
/// segments come preallocated from <see cref="SegmentPipeline"/>.</summary>
public sealed partial class SharedWriteAheadLog
{
    // Owned by the writer loop (and Open, before the loop starts).
    private readonly List<WalSegment> _segments; // consecutive sequences; the last is _current unless it is a legacy one
    private IWalFile? _current; // null only until Start when the last segment is a legacy one (or there is none)
    private readonly SegmentPipeline _pipeline;
    private readonly ArrayBufferWriter<byte> _buffer = new(); // one batch, appended to _current at _batchOffset
    private long _batchOffset;
    private bool _batchNeedsSync; // set while encoding: the batch holds something that must be durable on return
    private bool _batchMayFreeSegments; // the batch holds a marker or a removal
    private bool _currentUnsynced; // _current holds records appended since its last fsync
    private bool _batchRolled; // the batch started a segment
    private string? _legacyDirectory; // the single-group WAL's directory while segments of it remain

    /// <summary>Starts the first shared segment when there is none to append to (a new log, or one whose
    /// segments so far are legacy ones), then the writer loop.</summary>
    private void Start()
    {
        if (_current is null)
        {
            _buffer.ResetWrittenCount();
            RollSegment();
            if (_buffer.WrittenCount > 0)
            {
                Append();
                Sync();
            }
        }
        _pipeline.PrepareNext();
        _writer = Task.Run(RunWriterAsync);
    }

    private async Task RunWriterAsync()
    {
        var batch = new List<PendingWrite>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (_queue.Reader.TryRead(out var write)) batch.Add(write);
            WriteBatch(batch);
            batch.Clear();
        }
    }

    private void WriteBatch(List<PendingWrite> batch)
    {
        if (_failure is { } failed) { batch.ForEach(w => w.Fail(failed)); return; }
        var accepted = new List<PendingWrite>(batch.Count);
        try
        {
            _buffer.ResetWrittenCount();
            _batchNeedsSync = false;
            _batchMayFreeSegments = false;
            _batchRolled = false;
            if (_current!.Length >= _options.SegmentSizeBytes) RollSegment();
            _batchOffset = _current!.Length;
            foreach (var write in batch)
            {
                if (Validate(write) is { } invalid) write.Fail(invalid);
                else { Encode(write); accepted.Add(write); }
            }
            if (_buffer.WrittenCount > 0) Append();
            if (_batchNeedsSync && _currentUnsynced) Sync();
            ApplyToMemory(accepted);
            if (_batchMayFreeSegments) RemoveObsoleteFiles(accepted);
        }
        catch (Exception e)
        {
            var failure = new WalFailedException($"wal {_options.WalDirectory} failed; no write is accepted until it is reopened: {e.Message}", e);
            _failure = failure;
            batch.ForEach(w => w.Fail(failure));
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var queued)) queued.Fail(failure);
            return;
        }
        accepted.ForEach(w => w.Succeed());
        if (!_batchRolled) return;
        try { CarryForwardIfNeeded(); }
        catch (Exception e)
        {
            _failure = new WalFailedException($"wal {_options.WalDirectory} failed carrying groups forward; no write is accepted until it is reopened: {e.Message}", e);
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var queued)) queued.Fail(_failure);
        }
    }

    private void Append()
    {
        _current!.Append(_buffer.WrittenSpan);
        _currentUnsynced = true;
    }

    private void Sync()
    {
        _current!.Flush();
        _currentUnsynced = false;
        Interlocked.Increment(ref _fsyncCount);
    }

    /// <summary>Starts the next segment from the prepared spare (its name durable before anything is written
    /// to it), with every group's current snapshot marker and HardState as its header.</summary>
    private void RollSegment()
    {
        var sequence = _segments.Count == 0 ? 1 : _segments[^1].Sequence + 1;
        var next = new WalSegment(sequence, Path.Combine(_options.WalDirectory, WalSegment.FileName(sequence)));
        // Records left unsynced in the old segment (a commit-only HardState) become durable before the log
        // moves on: a later fsync of the new segment would not cover them.
        if (_currentUnsynced) Sync();
        _pipeline.TakeAs(next.Path);
        _fs.FlushDirectory(_options.WalDirectory);
        var file = _fs.OpenAppendAt(next.Path, 0);
        _current?.Dispose();
        _current = file;
        _segments.Add(next);
        lock (_groupsLock)
        {
            foreach (var group in _groups.Values)
            {
                if (group.WrittenMarker is { } marker) WalRecordCodec.WriteSnapshotMarker(_buffer, group.Id, marker with { ReplacesLog = false });
                if (!group.WrittenHardState.IsEmpty) WalRecordCodec.WriteHardState(_buffer, group.Id, group.WrittenHardState);
            }
        }
        _batchNeedsSync = true; // the new segment's header is durable before anything relies on the segment
        _batchRolled = true;
    }

    /// <summary>Checks a write against its group's log as written so far; null when it may be written.</summary>
    private static Exception? Validate(PendingWrite write)
    {
        if (write.Owner is { ClosedInQueue: true })
            return new ObjectDisposedException(nameof(WriteAheadLog), $"wal group {write.Group.Id}: this view was closed; its writes are refused");
        if (write.Kind != PendingWriteKind.Save || write.Entries.Count == 0) return null;
        var group = write.Group;
        var first = write.Entries[0].Index;
        for (var i = 1; i < write.Entries.Count; i++)
            if (write.Entries[i].Index != first + (ulong)i)
                return new ArgumentException($"entries are not contiguous at position {i}", nameof(write.Entries));
        if (first > group.WrittenLastIndex + 1)
            return new InvalidOperationException($"gap: appending {first} after {group.WrittenLastIndex}");
        write.AcceptedFrom = first <= group.WrittenSnapshotIndex
            ? (int)Math.Min((ulong)write.Entries.Count, group.WrittenSnapshotIndex + 1 - first) : 0;
        return null;
    }

    /// <summary>Encodes a validated write (entries before HardState, so a torn batch never holds a HardState
    /// without the entries saved with it) and advances its group's written view.</summary>
    private void Encode(PendingWrite write)
    {
        var group = write.Group;
        switch (write.Kind)
        {
            case PendingWriteKind.SnapshotMarker:
                var snapshot = write.Snapshot!;
                var marker = new SnapshotMarker(snapshot.Metadata.Index, snapshot.Metadata.Term, write.ReplacesLog);
                WalRecordCodec.WriteSnapshotMarker(_buffer, group.Id, marker);
                group.WrittenMarker = marker;
                group.WrittenSnapshotIndex = marker.Index;
                if (write.ReplacesLog)
                {
                    group.WrittenLastIndex = marker.Index;
                    group.Segments.Clear(); // no entry written before the marker is part of the log any more
                }
                _batchNeedsSync = true;
                _batchMayFreeSegments = true;
                return;
            case PendingWriteKind.Close:
                write.Owner!.ClosedInQueue = true;
                _batchNeedsSync = true; // a clean close leaves the group's last commit index durable too
                return;
            case PendingWriteKind.Remove:
                WalRecordCodec.WriteGroupRemoved(_buffer, group.Id);
                group.Segments.Clear();
                group.WrittenMarker = null;
                group.WrittenHardState = HardState.Empty;
                _batchNeedsSync = true;
                _batchMayFreeSegments = true;
                return;
        }
        if (write.AcceptedFrom < write.Entries.Count)
        {
            EncodeEntries(write, group);
            _batchNeedsSync = true;
        }
        if (write.HardState is { } hs)
        {
            WalRecordCodec.WriteHardState(_buffer, group.Id, hs);
            if (MustSync(hs, group.WrittenHardState)) _batchNeedsSync = true;
            group.WrittenHardState = hs;
        }
    }

    private void EncodeEntries(PendingWrite write, WalGroup group)
    {
        var count = write.Entries.Count - write.AcceptedFrom;
        var entryOffsets = ArrayPool<int>.Shared.Rent(count);
        var segment = _segments[^1].Sequence;
        try
        {
            var recordOffset = _batchOffset + _buffer.WrittenCount;
            WalRecordCodec.WriteEntries(_buffer, group.Id, write.Entries, write.AcceptedFrom, entryOffsets);
            var recordLength = (int)(_batchOffset + _buffer.WrittenCount - recordOffset);
            write.Locations = new EntryLocation[count];
            for (var i = 0; i < count; i++)
            {
                var entry = write.Entries[write.AcceptedFrom + i];
                write.Locations[i] = new EntryLocation(entry.Term, recordOffset, (uint)segment, recordLength, entryOffsets[i], entry.Data.Length);
            }
        }
        finally { ArrayPool<int>.Shared.Return(entryOffsets); }
        group.WrittenLastIndex = write.Entries[^1].Index;
        group.Segments.Note(segment, group.WrittenLastIndex);
    }

    /// <summary>Makes the batch's writes visible, holding each group's state lock once per run of its writes.</summary>
    private static void ApplyToMemory(List<PendingWrite> accepted)
    {
        WalGroup? locked = null;
        try
        {
            foreach (var write in accepted)
            {
                var group = write.Group;
                if (group != locked)
                {
                    locked?.StateLock.Exit();
                    locked = null;
                    group.StateLock.Enter();
                    locked = group;
                }
                if (write.Kind == PendingWriteKind.Save)
                    group.State.Save(write.HardState, write.Entries, write.AcceptedFrom, write.Locations);
                else if (write.Kind == PendingWriteKind.SnapshotMarker)
                {
                    var snapshot = write.Snapshot!;
                    if (write.ReplacesLog) group.State.ReplaceWithSnapshot(snapshot.Metadata);
                    else group.State.Compact(snapshot.Metadata);
                    if (write.DataHeld) group.LoadedSnapshot.SetTarget(snapshot);
                }
            }
        }
        finally { locked?.StateLock.Exit(); }
    }

    /// <summary>Runs on the writer after markers or removals are durable: each such group keeps its newest
    /// RetainSnapshots snapshot files (and the one its log starts from), a removed group loses all of them;
    /// then the oldest segments no group needs any more are deleted (see the invariants). Every entry a read
    /// may ask for lies above its group's current snapshot, so its segment stays. The newest segment stays.</summary>
    private void RemoveObsoleteFiles(List<PendingWrite> accepted)
    {
        foreach (var write in accepted)
        {
            var group = write.Group;
            if (write.Kind == PendingWriteKind.Remove)
            {
                // Files first: once the group is gone from the map, a new group of the same id may open its directory.
                SharedWalRecovery.DeleteSnapshots(_fs, _options, group.Id);
                lock (_groupsLock) _groups.Remove(group.Id);
            }
            else if (write.Kind == PendingWriteKind.SnapshotMarker)
            {
                group.Snapshots.Prune(_options.RetainSnapshots, group.State.Snapshot);
                var kept = group.Snapshots.List();
                if (kept.Count > 0) group.Segments.Release(kept[^1].Index);
            }
        }
        DeleteSegmentsNoGroupNeeds();
    }

    /// <summary>Deletes the oldest segments no group needs (never the newest), then the single-group WAL's
    /// directory once its segments are gone.</summary>
    private void DeleteSegmentsNoGroupNeeds()
    {
        var oldestNeeded = ulong.MaxValue;
        lock (_groupsLock)
            foreach (var group in _groups.Values) oldestNeeded = Math.Min(oldestNeeded, group.Segments.OldestNeeded);
        while (_segments.Count > 1 && _segments[0].Sequence < oldestNeeded)
        {
            _fs.Delete(_segments[0].Path);
            _segments.RemoveAt(0);
        }
        if (_legacyDirectory is not null && _segments[0].LegacyGroup is null)
        {
            // Its segments are gone; anything else found there (not ours) stays, and so does the directory.
            if (_fs.ListFiles(_legacyDirectory).Count == 0) _fs.DeleteDirectory(_legacyDirectory);
            _legacyDirectory = null;
        }
    }
}
