using System.Threading.Channels;
using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>
/// The durable <see cref="IRaftLogStorage"/> of one group: a segmented WAL plus a snapshot store.
/// <para>
/// Memory holds, per entry above the snapshot, only its term and location on disk, plus the payloads of the
/// newest entries up to <see cref="WalOptions.EntryCacheBytes"/>; older entries are read back from the
/// segment files, and the snapshot's data from its file (<see cref="Snapshot"/>). All writes go through one
/// writer loop that batches what is queued into one append and one fsync (group commit); a call returns
/// once its records are durable and visible to reads, except a HardState that only advances the commit
/// index, which is written without an fsync and made durable by the next one (see <c>MustSync</c>). Any
/// write or fsync error fails the WAL for good (<see cref="WalFailedException"/>).
/// </para>
/// Concurrency: <see cref="SaveAsync"/> may be called concurrently (queue order is write order); snapshot
/// calls must not overlap other writes; reads may run at any time.
/// </summary>
public sealed partial class WriteAheadLog : IRaftLogStorage, IDisposable
{
    private readonly WalOptions _options;
    private readonly IWalFileSystem _fs;
    private readonly SnapshotStore _snapshots;
    private readonly Lock _stateLock = new();
    private readonly WalLogState _state; // guarded by _stateLock; holds only written writes, durable but for a commit-only HardState
    private readonly EntryReader _reader;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private long _fsyncCount;
    private volatile WalFailedException? _failure;

    private WriteAheadLog(WalOptions options, SnapshotStore snapshots, RecoveredWal recovered, SegmentPipeline pipeline)
    {
        _options = options;
        _fs = options.FileSystem;
        _snapshots = snapshots;
        _state = recovered.Log;
        _reader = new EntryReader(_fs, options.WalDirectory);
        _loadedSnapshot = new WeakReference<Snapshot>(recovered.Snapshot);
        _segments = recovered.Segments;
        _pipeline = pipeline;
        _current = _fs.OpenAppendAt(_segments[^1].Path, recovered.AppendOffset);
        InitWriterView();
        _pipeline.PrepareNext();
        _writer = Task.Run(RunWriterAsync);
    }

    /// <summary>Opens (recovering) or creates the WAL of <see cref="WalOptions.GroupId"/> under the data dir.</summary>
    public static WriteAheadLog Open(WalOptions options)
    {
        var fs = options.FileSystem;
        fs.CreateDirectory(options.WalDirectory);
        fs.CreateDirectory(options.SnapshotDirectory);
        var snapshots = new SnapshotStore(fs, options.SnapshotDirectory, options.Log, options.SnapshotWritePace);
        snapshots.DeleteLeftovers();
        var recovered = new WalRecovery(options, snapshots).Recover();
        var pipeline = new SegmentPipeline(fs, options.WalDirectory,
            options.PreallocateSegments ? options.SegmentSizeBytes : 0, options.PrepareSegmentsInBackground);
        try
        {
            if (recovered.Segments.Count == 0)
            {
                recovered.Segments.Add(new WalSegment(1, Path.Combine(options.WalDirectory, WalSegment.FileName(1))));
                pipeline.TakeAs(recovered.Segments[0].Path);
                fs.FlushDirectory(options.WalDirectory);
            }
            return new WriteAheadLog(options, snapshots, recovered, pipeline);
        }
        catch
        {
            pipeline.Dispose();
            throw;
        }
    }

    /// <summary>Number of fsyncs of WAL segments since open: one per group-committed batch.</summary>
    public long FsyncCount => Interlocked.Read(ref _fsyncCount);

    public bool IsFailed => _failure is not null;

    public HardState HardState { get { lock (_stateLock) return _state.HardState; } }
    public ulong FirstIndex { get { lock (_stateLock) return _state.FirstIndex; } }
    public ulong LastIndex { get { lock (_stateLock) return _state.LastIndex; } }
    public SnapshotMetadata SnapshotMetadata { get { lock (_stateLock) return _state.Snapshot; } }

    public bool TryTerm(ulong index, out ulong term) { lock (_stateLock) return _state.TryTerm(index, out term); }

    /// <summary>Cached entries come from memory, older ones from the segment files. The files are read under
    /// the state lock: a segment is deleted only after the state shows a snapshot covering all its entries,
    /// so none that a read was allowed to ask for can go away meanwhile.</summary>
    public IReadOnlyList<Entry> Entries(ulong lo, ulong hi, long maxBytes)
    {
        lock (_stateLock)
        {
            if (lo < _state.FirstIndex || hi > _state.LastIndex + 1 || lo >= hi)
                throw new ArgumentOutOfRangeException(nameof(lo), $"entries [{lo},{hi}) outside [{_state.FirstIndex},{_state.LastIndex + 1})");
            var end = _state.EndWithin(lo, hi, maxBytes);
            var result = new List<Entry>((int)(end - lo));
            var cachedFrom = Math.Clamp(_state.Cache.First, lo, end);
            if (lo < cachedFrom) _reader.Read(_state.Locations, lo, cachedFrom, result);
            for (var i = cachedFrom; i < end; i++) result.Add(_state.Cache[i]);
            return result;
        }
    }

    /// <summary>Bytes of entry payloads held in memory (the cache), for tests and metrics.</summary>
    public long CachedEntryBytes { get { lock (_stateLock) return _state.Cache.Bytes; } }

    /// <summary>Index of the oldest entry whose payload is held in memory (LastIndex + 1 when none is).</summary>
    internal ulong FirstCachedIndex { get { lock (_stateLock) return _state.Cache.First; } }

    /// <summary>True once <paramref name="appliedIndex"/> is <see cref="WalOptions.SnapshotCount"/> or more
    /// entries past the latest snapshot.</summary>
    public bool ShouldSnapshot(ulong appliedIndex)
    {
        var snapIndex = SnapshotMetadata.Index;
        return appliedIndex > snapIndex && appliedIndex - snapIndex >= _options.SnapshotCount;
    }

    public void Save(HardState? hardState, IReadOnlyList<Entry> entries) =>
        SaveAsync(hardState, entries, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>Queues a Save; completes when it is durable. Cancelling stops the wait, not the write.</summary>
    public ValueTask SaveAsync(HardState? hardState, IReadOnlyList<Entry> entries, CancellationToken cancellationToken)
    {
        if (hardState is null && entries.Count == 0) return ValueTask.CompletedTask;
        return new ValueTask(Enqueue(new PendingWrite { HardState = hardState, Entries = entries }).WaitAsync(cancellationToken));
    }

    private Task Enqueue(PendingWrite write)
    {
        if (_failure is { } failure) return Task.FromException(failure);
        if (!_queue.Writer.TryWrite(write))
            return Task.FromException(_failure ?? (Exception)new ObjectDisposedException(nameof(WriteAheadLog)));
        return write.Completion;
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        try { _writer.GetAwaiter().GetResult(); }
        finally
        {
            // A clean close keeps the last commit index too (a crash may lose it: it is relearned).
            if (_currentUnsynced && _failure is null)
            {
                try { Sync(); }
                catch (IOException) { }
            }
            _current.Dispose();
            _pipeline.Dispose();
        }
    }
}
