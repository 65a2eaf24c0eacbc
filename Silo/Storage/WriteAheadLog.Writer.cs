using System.Buffers;
using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>The writer loop: the only code that touches segment files after open.</summary>
public sealed partial class WriteAheadLog
{
    // Owned by the writer loop.
    private readonly List<WalSegment> _segments; // consecutive sequences; the last is _current
    private IWalFile _current;
    private readonly ArrayBufferWriter<byte> _buffer = new();

    // The log as written to the WAL so far (may be ahead of _state until the fsync returns). Owned by the writer.
    private ulong _writtenSnapshotIndex;
    private ulong _writtenLastIndex;
    private HardState _writtenHardState;
    private SnapshotMarker? _writtenMarker;

    private void InitWriterView()
    {
        _writtenSnapshotIndex = _state.Snapshot.Metadata.Index;
        _writtenLastIndex = _state.LastIndex;
        _writtenHardState = _state.HardState;
        _writtenMarker = _state.Snapshot.IsEmpty ? null
            : new SnapshotMarker(_state.Snapshot.Metadata.Index, _state.Snapshot.Metadata.Term, ReplacesLog: false);
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
            var rolled = _current.Length >= _options.SegmentSizeBytes && RollSegment();
            foreach (var write in batch)
            {
                if (Validate(write) is { } invalid) write.Fail(invalid);
                else { Encode(write); accepted.Add(write); }
            }
            if (_buffer.WrittenCount > 0) AppendAndSync(rolled);
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

    private void AppendAndSync(bool rolled)
    {
        _current.Append(_buffer.WrittenSpan);
        _current.Flush();
        Interlocked.Increment(ref _fsyncCount);
        if (rolled) _fs.FlushDirectory(_options.WalDirectory);
    }

    /// <summary>Starts the next segment with the current snapshot marker and HardState as its header.</summary>
    private bool RollSegment()
    {
        var next = new WalSegment(_segments[^1].Sequence + 1,
            Path.Combine(_options.WalDirectory, WalSegment.FileName(_segments[^1].Sequence + 1)));
        var file = _fs.OpenAppend(next.Path);
        _current.Dispose();
        _current = file;
        _segments.Add(next);
        if (_writtenMarker is { } marker) WalRecordCodec.WriteSnapshotMarker(_buffer, marker with { ReplacesLog = false });
        if (!_writtenHardState.IsEmpty) WalRecordCodec.WriteHardState(_buffer, _writtenHardState);
        return true;
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
            return;
        }
        if (write.AcceptedFrom < write.Entries.Count)
        {
            WalRecordCodec.WriteEntries(_buffer, write.Entries, write.AcceptedFrom);
            _writtenLastIndex = write.Entries[^1].Index;
            _segments[^1].MaxEntryIndex = Math.Max(_segments[^1].MaxEntryIndex, _writtenLastIndex);
        }
        if (write.HardState is { } hs)
        {
            WalRecordCodec.WriteHardState(_buffer, hs);
            _writtenHardState = hs;
        }
    }

    private void ApplyToMemory(List<PendingWrite> accepted)
    {
        lock (_stateLock)
        {
            foreach (var write in accepted)
            {
                if (write.Snapshot is not { } snapshot) _state.Save(write.HardState, write.Entries);
                else if (write.ReplacesLog) _state.ApplySnapshot(snapshot);
                else _state.CreateSnapshot(snapshot.Metadata.Index, snapshot.Metadata.Membership, snapshot.Data);
            }
        }
    }
}
