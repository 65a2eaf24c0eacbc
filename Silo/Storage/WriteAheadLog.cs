using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>
/// The durable <see cref="IRaftLogStorage"/> of one group: its view of the member's
/// <see cref="SharedWriteAheadLog"/> plus its snapshot store (<see cref="SharedWriteAheadLog.OpenGroup"/>).
/// <para>
/// Memory holds, per entry above the snapshot, only its term and location on disk, plus the payloads of the
/// newest entries up to <see cref="WalOptions.EntryCacheBytes"/>; older entries are read back from the
/// segment files, and the snapshot's data from its file (<see cref="Snapshot"/>). Writes go to the shared
/// writer loop, which batches what every group queued into one append and one fsync (group commit); a call
/// returns once its records are durable and visible to reads, except a HardState that only advances the
/// commit index, which is written without an fsync and made durable by the next one (see <c>MustSync</c>).
/// Any write or fsync error fails the log for good (<see cref="WalFailedException"/>).
/// </para>
/// Concurrency: <see cref="SaveAsync"/> may be called concurrently (queue order is write order); snapshot
/// calls must not overlap other writes of the group; reads may run at any time. Once <see cref="Dispose"/>
/// is called, writes of this view are refused (<see cref="ObjectDisposedException"/>) and the group may be
/// opened again.
/// </summary>
public sealed partial class WriteAheadLog : IRaftLogStorage, IDisposable
{
    private readonly SharedWriteAheadLog _log;
    private readonly WalGroup _group;
    private readonly bool _ownsLog;
    private volatile bool _disposed;

    internal WriteAheadLog(SharedWriteAheadLog log, WalGroup group, bool ownsLog)
    {
        _log = log;
        _group = group;
        _ownsLog = ownsLog;
    }

    /// <summary>Set by the writer loop when it reaches this view's close: its later writes are refused. Owned by the writer.</summary>
    internal bool ClosedInQueue { get; set; }

    /// <summary>Opens the member's shared log under <see cref="WalOptions.DataDir"/> and the group
    /// <see cref="WalOptions.GroupId"/> of it, for a process with one group; disposing the group closes the log.</summary>
    public static WriteAheadLog Open(WalOptions options)
    {
        var log = SharedWriteAheadLog.Open(options);
        try { return log.OpenGroup(options.GroupId, ownsLog: true); }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    public ulong GroupId => _group.Id;

    /// <summary>Number of fsyncs of the shared log since it was opened: one per group-committed batch of all groups.</summary>
    public long FsyncCount => _log.FsyncCount;

    public bool IsFailed => _log.IsFailed;

    private WalOptions Options => _log.Options;

    public HardState HardState { get { lock (_group.StateLock) return _group.State.HardState; } }
    public ulong FirstIndex { get { lock (_group.StateLock) return _group.State.FirstIndex; } }
    public ulong LastIndex { get { lock (_group.StateLock) return _group.State.LastIndex; } }
    public SnapshotMetadata SnapshotMetadata { get { lock (_group.StateLock) return _group.State.Snapshot; } }

    public bool TryTerm(ulong index, out ulong term) { lock (_group.StateLock) return _group.State.TryTerm(index, out term); }

    /// <summary>Cached entries come from memory, older ones from the segment files. The files are read under
    /// the state lock: a segment is deleted only after the group's state shows a snapshot covering all its
    /// entries in it, or locates them in their carried-forward copies, so none that a read was allowed to
    /// ask for can go away meanwhile.</summary>
    public IReadOnlyList<Entry> Entries(ulong lo, ulong hi, long maxBytes)
    {
        lock (_group.StateLock)
        {
            var state = _group.State;
            if (lo < state.FirstIndex || hi > state.LastIndex + 1 || lo >= hi)
                throw new ArgumentOutOfRangeException(nameof(lo), $"entries [{lo},{hi}) outside [{state.FirstIndex},{state.LastIndex + 1})");
            var end = state.EndWithin(lo, hi, maxBytes);
            var result = new List<Entry>((int)(end - lo));
            _log.ReadEntries(_group, lo, end, result);
            return result;
        }
    }

    /// <summary>Bytes of entry payloads held in memory (the cache), for tests and metrics.</summary>
    public long CachedEntryBytes { get { lock (_group.StateLock) return _group.State.Cache.Bytes; } }

    /// <summary>Index of the oldest entry whose payload is held in memory (LastIndex + 1 when none is).</summary>
    internal ulong FirstCachedIndex { get { lock (_group.StateLock) return _group.State.Cache.First; } }

    /// <summary>True once <paramref name="appliedIndex"/> is <see cref="WalOptions.SnapshotCount"/> or more
    /// entries past the latest snapshot.</summary>
    public bool ShouldSnapshot(ulong appliedIndex)
    {
        var snapIndex = SnapshotMetadata.Index;
        return appliedIndex > snapIndex && appliedIndex - snapIndex >= Options.SnapshotCount;
    }

    public void Save(HardState? hardState, IReadOnlyList<Entry> entries) =>
        SaveAsync(hardState, entries, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>Queues a Save; completes when it is durable. Cancelling stops the wait, not the write.</summary>
    public ValueTask SaveAsync(HardState? hardState, IReadOnlyList<Entry> entries, CancellationToken cancellationToken)
    {
        if (hardState is null && entries.Count == 0) return ValueTask.CompletedTask;
        return new ValueTask(Enqueue(new PendingWrite { Group = _group, Owner = this, HardState = hardState, Entries = entries }).WaitAsync(cancellationToken));
    }

    private Task Enqueue(PendingWrite write) =>
        _disposed ? Task.FromException(Closed()) : _log.Enqueue(write);

    private ObjectDisposedException Closed() => new(nameof(WriteAheadLog), $"wal group {_group.Id}: this view was closed; its writes are refused");

    /// <summary>Closes the view: waits for its queued writes (and makes a commit-only HardState durable),
    /// refuses any later one, and lets the group be opened again. Disposes the shared log if this view opened it.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try { _log.Enqueue(new PendingWrite { Group = _group, Owner = this, Kind = PendingWriteKind.Close }).GetAwaiter().GetResult(); }
        catch (Exception e) when (e is IOException or ObjectDisposedException) { } // the log failed or closed: nothing of this view can be written any more
        finally
        {
            _log.Release(_group, this);
            if (_ownsLog) _log.Dispose();
        }
    }
}
