using System.Buffers;
using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>The writer loop: the only code that writes segment files after open. New segments come
/// preallocated from <see cref="SegmentPipeline"/>; each batch's records are written at the append position.</summary>
public sealed partial class WriteAheadLog
{
    // Owned by the writer loop.
    private readonly List<WalSegment> _segments; // consecutive sequences; the last is _current
    private IWalFile _current;
    private readonly SegmentPipeline _pipeline;
    private readonly ArrayBufferWriter<byte> _buffer = new(); // one batch, appended to _current at _batchOffset
    private long _batchOffset;
    private bool _batchNeedsSync; // set while encoding: the batch holds something that must be durable on return
    private bool _currentUnsynced; // _current holds records appended since its last fsync

    // The log as written to the WAL so far (may be ahead of _state until the fsync returns). Owned by the writer.
    private ulong _writtenSnapshotIndex;
    private ulong _writtenLastIndex;
    private HardState _writtenHardState;
    private SnapshotMarker? _writtenMarker;

    private void InitWriterView()
    {
        _writtenSnapshotIndex = _state.Snapshot.Index;
        _writtenLastIndex = _state.LastIndex;
        _writtenHardState = _state.HardState;
        _writtenMarker = _state.Snapshot.Index == 0 ? null
            : new SnapshotMarker(_state.Snapshot.Index, _state.Snapshot.Term, ReplacesLog: false);
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
            if (_current.Length >= _options.SegmentSizeBytes) RollSegment();
            _batchOffset = _current.Length;
            foreach (var write in batch)
            {
                if (Validate(write) is { } invalid) write.Fail(invalid);
                else { Encode(write); accepted.Add(write); }
            }
            if (_buffer.WrittenCount > 0) Append();
            if (_batchNeedsSync && _currentUnsynced) Sync();
            ApplyToMemory(accepted);
            if (accepted.Any(w => w.Snapshot is not null)) RemoveObsoleteFiles();
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
    }

    private void Append()
    {
        _current.Append(_buffer.WrittenSpan);
        _currentUnsynced = true;
    }

    private void Sync()
    {
        _current.Flush();
        _currentUnsynced = false;
        Interlocked.Increment(ref _fsyncCount);
    }

    /// <summary>Starts the next segment from the prepared spare (its name durable before anything is written
    /// to it), with the current snapshot marker and HardState as its header.</summary>
    private void RollSegment()
    {
        var next = new WalSegment(_segments[^1].Sequence + 1,
            Path.Combine(_options.WalDirectory, WalSegment.FileName(_segments[^1].Sequence + 1)));
        // Records left unsynced in the old segment (a commit-only HardState) become durable before the log
        // moves on: a later fsync of the new segment would not cover them.
        if (_currentUnsynced) Sync();
        _pipeline.TakeAs(next.Path);
        _fs.FlushDirectory(_options.WalDirectory);
        var file = _fs.OpenAppendAt(next.Path, 0);
        _current.Dispose();
        _current = file;
        _segments.Add(next);
        if (_writtenMarker is { } marker) WalRecordCodec.WriteSnapshotMarker(_buffer, marker with { ReplacesLog = false });
        if (!_writtenHardState.IsEmpty) WalRecordCodec.WriteHardState(_buffer, _writtenHardState);
        _batchNeedsSync = true; // the new segment's header is durable before anything relies on the segment
    }

    /// <summary>Checks a write against the log as written so far; null when it may be written.</summary>
    private Exception? Validate(PendingWrite write)
    {
        if (write.Snapshot is not null || write.Entries.Count == 0) return null;
        var first = write.Entries[0].Index;
        for (var i = 1; i < write.Entries.Count; i++)
            if (write.Entries[i].Index != first + (ulong)i)
                return new ArgumentException($"entries are not contiguous at position {i}", nameof(write.Entries));
        if (first > _writtenLastIndex + 1)
            return new InvalidOperationException($"gap: appending {first} after {_writtenLastIndex}");
        write.AcceptedFrom = first <= _writtenSnapshotIndex
            ? (int)Math.Min((ulong)write.Entries.Count, _writtenSnapshotIndex + 1 - first) : 0;
        return null;
    }

    /// <summary>Encodes a validated write (entries before HardState, so a torn batch never holds a HardState
    /// without the entries saved with it) and advances the written view.</summary>
    private void Encode(PendingWrite write)
    {
        if (write.Snapshot is { } snapshot)
        {
            var marker = new SnapshotMarker(snapshot.Metadata.Index, snapshot.Metadata.Term, write.ReplacesLog);
            WalRecordCodec.WriteSnapshotMarker(_buffer, marker);
            _writtenMarker = marker;
            _writtenSnapshotIndex = marker.Index;
            if (write.ReplacesLog) _writtenLastIndex = marker.Index;
            _batchNeedsSync = true;
            return;
        }
        if (write.AcceptedFrom < write.Entries.Count)
        {
            EncodeEntries(write);
            _batchNeedsSync = true;
        }
        if (write.HardState is { } hs)
        {
            WalRecordCodec.WriteHardState(_buffer, hs);
            if (MustSync(hs, _writtenHardState)) _batchNeedsSync = true;
            _writtenHardState = hs;
        }
    }

    /// <summary>A term or vote must be durable before the replica acts on it (one vote per term); a commit
    /// index need not: it is relearned from the leader, and recovery starts from the durable one (a snapshot
    /// is committed by definition). As etcd's raft.MustSync: a HardState that only advances the commit is
    /// written without an fsync, and becomes durable with the next fsync of the log.</summary>
    internal static bool MustSync(HardState next, HardState previous) =>
        next.Term != previous.Term || next.Vote != previous.Vote;

    private void EncodeEntries(PendingWrite write)
    {
        var count = write.Entries.Count - write.AcceptedFrom;
        var entryOffsets = ArrayPool<int>.Shared.Rent(count);
        try
        {
            var recordOffset = _batchOffset + _buffer.WrittenCount;
            WalRecordCodec.WriteEntries(_buffer, write.Entries, write.AcceptedFrom, entryOffsets);
            var recordLength = (int)(_batchOffset + _buffer.WrittenCount - recordOffset);
            var segment = (uint)_segments[^1].Sequence;
            write.Locations = new EntryLocation[count];
            for (var i = 0; i < count; i++)
            {
                var entry = write.Entries[write.AcceptedFrom + i];
                write.Locations[i] = new EntryLocation(entry.Term, recordOffset, segment, recordLength, entryOffsets[i], entry.Data.Length);
            }
        }
        finally { ArrayPool<int>.Shared.Return(entryOffsets); }
        _writtenLastIndex = write.Entries[^1].Index;
        _segments[^1].MaxEntryIndex = Math.Max(_segments[^1].MaxEntryIndex, _writtenLastIndex);
    }

    private void ApplyToMemory(List<PendingWrite> accepted)
    {
        lock (_stateLock)
        {
            foreach (var write in accepted)
            {
                if (write.Snapshot is not { } snapshot) _state.Save(write.HardState, write.Entries, write.AcceptedFrom, write.Locations);
                else
                {
                    if (write.ReplacesLog) _state.ReplaceWithSnapshot(snapshot.Metadata);
                    else _state.Compact(snapshot.Metadata);
                    if (write.DataHeld) _loadedSnapshot.SetTarget(snapshot);
                }
            }
        }
    }
}
