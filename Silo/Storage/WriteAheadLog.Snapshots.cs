using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>Snapshots: the file is made durable first, then its marker is written to the WAL; only then
/// do older snapshot files and the segments no kept snapshot needs go away.</summary>
public sealed partial class WriteAheadLog
{
    public void ApplySnapshot(Snapshot snapshot)
    {
        var current = Snapshot.Metadata.Index;
        if (snapshot.Metadata.Index <= current)
            throw new InvalidOperationException($"snapshot {snapshot.Metadata.Index} is not newer than {current}");
        WriteSnapshot(snapshot, replacesLog: true);
    }

    public void CreateSnapshot(ulong index, Membership membership, ReadOnlyMemory<byte> data)
    {
        ulong term;
        lock (_stateLock)
        {
            if (index <= _state.Snapshot.Metadata.Index) return;
            if (index > _state.LastIndex)
                throw new ArgumentOutOfRangeException(nameof(index), $"snapshot {index} beyond last index {_state.LastIndex}");
            _state.TryTerm(index, out term);
        }
        WriteSnapshot(new Snapshot(new SnapshotMetadata(index, term, membership), data), replacesLog: false);
    }

    private void WriteSnapshot(Snapshot snapshot, bool replacesLog)
    {
        if (_failure is { } failed) throw failed;
        try { _snapshots.Save(snapshot); }
        catch (Exception e) when (e is not WalFailedException)
        {
            _failure ??= new WalFailedException($"wal {_options.WalDirectory} failed writing snapshot {snapshot.Metadata.Index}: {e.Message}", e);
            throw _failure;
        }
        Enqueue(new PendingWrite { Snapshot = snapshot, ReplacesLog = replacesLog }).GetAwaiter().GetResult();
    }

    /// <summary>Runs on the writer after a marker is durable: keeps the newest RetainSnapshots snapshot files
    /// and deletes the oldest segments whose entries all lie at or below the oldest kept snapshot, so a
    /// fallback to that snapshot still finds its log. The segment being written is never deleted.</summary>
    private void RemoveObsoleteFiles()
    {
        _snapshots.Prune(_options.RetainSnapshots);
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
