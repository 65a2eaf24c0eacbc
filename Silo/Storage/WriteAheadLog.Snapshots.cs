using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>Snapshots of one group: the file is made durable first (in the group's snapshot directory), then
/// its marker is written to the shared log; only then do the group's older snapshot files and the segments no
/// group needs go away. Only the metadata stays in memory; the data is read from the file when
/// <see cref="Snapshot"/> is asked for.</summary>
public sealed partial class WriteAheadLog
{
    /// <summary>The latest snapshot with its data, read from the snapshot file unless still held in memory
    /// by someone. Use <see cref="SnapshotMetadata"/> when the data is not needed.</summary>
    public Snapshot Snapshot
    {
        get
        {
            while (true)
            {
                SnapshotMetadata metadata;
                lock (_group.StateLock)
                {
                    metadata = _group.State.Snapshot;
                    if (metadata.Index == 0) return Snapshot.Empty;
                    if (_group.LoadedSnapshot.TryGetTarget(out var held) && held.Metadata.Index == metadata.Index && held.Metadata.Term == metadata.Term)
                        return held;
                }
                Snapshot loaded;
                try { loaded = _group.Snapshots.Load(metadata.Index, metadata.Term); }
                catch (FileNotFoundException) when (SnapshotMetadata != metadata) { continue; } // replaced and pruned meanwhile
                lock (_group.StateLock)
                    if (_group.State.Snapshot == metadata) _group.LoadedSnapshot.SetTarget(loaded);
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
    /// Call on the thread that writes the group's log.</summary>
    public SnapshotMetadata? PrepareSnapshot(ulong index, Membership membership)
    {
        lock (_group.StateLock)
        {
            var state = _group.State;
            if (index <= state.Snapshot.Index) return null;
            if (index > state.LastIndex)
                throw new ArgumentOutOfRangeException(nameof(index), $"snapshot {index} beyond last index {state.LastIndex}");
            state.TryTerm(index, out var term);
            return new SnapshotMetadata(index, term, membership);
        }
    }

    /// <summary>Step 2: makes the snapshot file durable, streaming its data from <paramref name="writeData"/>.
    /// Touches only the group's snapshot directory, so it may run on a background thread while the log keeps
    /// being written (one snapshot file of the group at a time). A failure fails the log, as a failed fsync does.</summary>
    public void WriteSnapshotFile(SnapshotMetadata metadata, long dataLength, Action<Stream> writeData)
    {
        if (_disposed) throw Closed();
        if (_log.Failure is { } failed) throw failed;
        try { _group.Snapshots.Save(metadata, dataLength, writeData); }
        catch (Exception e) when (e is not WalFailedException)
        {
            throw _log.Fail($"writing snapshot {metadata.Index} of group {_group.Id}", e);
        }
    }

    /// <summary>Step 3: writes the snapshot's marker (one small fsync) and compacts the log below it, unless
    /// a newer snapshot arrived meanwhile. Call on the thread that writes the group's log, with no write of it in flight.</summary>
    public void CommitSnapshot(SnapshotMetadata metadata)
    {
        if (metadata.Index <= SnapshotMetadata.Index) return;
        Enqueue(new PendingWrite
        {
            Group = _group, Owner = this, Kind = PendingWriteKind.SnapshotMarker,
            Snapshot = new Snapshot(metadata, ReadOnlyMemory<byte>.Empty), ReplacesLog = false,
        }).GetAwaiter().GetResult();
    }

    private void WriteSnapshot(Snapshot snapshot, bool replacesLog)
    {
        WriteSnapshotFile(snapshot.Metadata, snapshot.Data.Length, stream => stream.Write(snapshot.Data.Span));
        Enqueue(new PendingWrite
        {
            Group = _group, Owner = this, Kind = PendingWriteKind.SnapshotMarker,
            Snapshot = snapshot, DataHeld = true, ReplacesLog = replacesLog,
        }).GetAwaiter().GetResult();
    }
}
