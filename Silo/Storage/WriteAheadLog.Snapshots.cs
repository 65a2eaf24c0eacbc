using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>Snapshots: the file is made durable first, then its marker is written to the WAL; only then
/// do older snapshot files and the segments no kept snapshot needs go away. Only the metadata stays in
/// memory; the data is read from the file when <see cref="Snapshot"/> is asked for.</summary>
public sealed partial class WriteAheadLog
{
    /// <summary>The last snapshot written, loaded or recovered: reused while someone still holds it, so
    /// asking again (a snapshot being sent to a follower) does not read the file again. Guarded by _stateLock.</summary>
    private WeakReference<Snapshot> _loadedSnapshot;

    /// <summary>The latest snapshot with its data, read from the snapshot file unless still held in memory
    /// by someone. Use <see cref="SnapshotMetadata"/> when the data is not needed.</summary>
    public Snapshot Snapshot
    {
        get
        {
            while (true)
            {
                SnapshotMetadata metadata;
                lock (_stateLock)
                {
                    metadata = _state.Snapshot;
                    if (metadata.Index == 0) return Snapshot.Empty;
                    if (_loadedSnapshot.TryGetTarget(out var held) && held.Metadata.Index == metadata.Index && held.Metadata.Term == metadata.Term)
                        return held;
                }
                Snapshot loaded;
                try { loaded = _snapshots.Load(metadata.Index, metadata.Term); }
                catch (FileNotFoundException) when (SnapshotMetadata != metadata) { continue; } // replaced and pruned meanwhile
                lock (_stateLock)
                    if (_state.Snapshot == metadata) _loadedSnapshot.SetTarget(loaded);
                return loaded;
            }
        }
    }

    public void ApplySnapshot(Snapshot snapshot)
    {
        var current = SnapshotMetadata.Index;
        if (snapshot.Metadata.Index <= current)
            throw new InvalidOperationException($"snapshot {snapshot.Metadata.Index} is not newer than {current}");
        WriteSnapshot(snapshot, replacesLog: true);
    }

    public void CreateSnapshot(ulong index, Membership membership, ReadOnlyMemory<byte> data)
    {
        if (PrepareSnapshot(index, membership) is not { } metadata) return;
        WriteSnapshotFile(metadata, data.Length, stream => stream.Write(data.Span));
        CommitSnapshot(metadata);
    }

    /// <summary>Step 1 of taking a snapshot of our own state machine at the applied <paramref name="index"/>:
    /// its metadata (term looked up in the log), or null when the current snapshot already covers it.
    /// Call on the thread that writes the log.</summary>
    public SnapshotMetadata? PrepareSnapshot(ulong index, Membership membership)
    {
        lock (_stateLock)
        {
            if (index <= _state.Snapshot.Index) return null;
            if (index > _state.LastIndex)
                throw new ArgumentOutOfRangeException(nameof(index), $"snapshot {index} beyond last index {_state.LastIndex}");
            _state.TryTerm(index, out var term);
            return new SnapshotMetadata(index, term, membership);
        }
    }

    /// <summary>Step 2: makes the snapshot file durable, streaming its data from <paramref name="writeData"/>.
    /// Touches only the snapshot directory, so it may run on a background thread while the log keeps being
    /// written (one snapshot file at a time). A failure fails the WAL, as a failed fsync does.</summary>
    public void WriteSnapshotFile(SnapshotMetadata metadata, long dataLength, Action<Stream> writeData)
    {
        if (_failure is { } failed) throw failed;
        try { _snapshots.Save(metadata, dataLength, writeData); }
        catch (Exception e) when (e is not WalFailedException)
        {
            _failure ??= new WalFailedException($"wal {_options.WalDirectory} failed writing snapshot {metadata.Index}: {e.Message}", e);
            throw _failure;
        }
    }

    /// <summary>Step 3: writes the snapshot's marker (one small fsync) and compacts the log below it, unless
    /// a newer snapshot arrived meanwhile. Call on the thread that writes the log, with no write in flight.</summary>
    public void CommitSnapshot(SnapshotMetadata metadata)
    {
        if (metadata.Index <= SnapshotMetadata.Index) return;
        Enqueue(new PendingWrite { Snapshot = new Snapshot(metadata, ReadOnlyMemory<byte>.Empty), ReplacesLog = false })
            .GetAwaiter().GetResult();
    }

    private void WriteSnapshot(Snapshot snapshot, bool replacesLog)
    {
        WriteSnapshotFile(snapshot.Metadata, snapshot.Data.Length, stream => stream.Write(snapshot.Data.Span));
        Enqueue(new PendingWrite { Snapshot = snapshot, DataHeld = true, ReplacesLog = replacesLog }).GetAwaiter().GetResult();
    }

    /// <summary>Runs on the writer after a marker is durable: keeps the newest RetainSnapshots snapshot files
    /// (and the one the log starts from) and deletes the oldest segments whose entries all lie at or below
    /// the oldest kept snapshot, so a fallback to that snapshot still finds its log. Every entry a read may
    /// ask for lies above the current snapshot, so its segment stays. The segment being written is never deleted.</summary>
    private void RemoveObsoleteFiles()
    {
        _snapshots.Prune(_options.RetainSnapshots, SnapshotMetadata);
        var kept = _snapshots.List();
        if (kept.Count == 0) return;
        var floor = kept[^1].Index;
        while (_segments.Count > 1 && _segments[0].MaxEntryIndex <= floor)
        {
            _fs.Delete(_segments[0].Path);
            _segments.RemoveAt(0);
        }
    }
}
