using System.Threading.Channels;
using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>
/// The durable <see cref="IRaftLogStorage"/> of one group: a segmented WAL plus a snapshot store.
/// <para>
/// Reads are served from an in-memory copy of the log (every entry above the snapshot stays in memory,
/// fine while snapshots keep the log short). All writes go through one writer loop that batches what is
/// queued into one append and one fsync (group commit); a call returns once its records are durable and
/// visible to reads. Any write or fsync error fails the WAL for good (<see cref="WalFailedException"/>).
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
    private readonly MemoryLogStorage _state; // guarded by _stateLock; holds only durable writes
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private long _fsyncCount;
    private volatile WalFailedException? _failure;

    private WriteAheadLog(WalOptions options, SnapshotStore snapshots, RecoveredWal recovered)
    {
        _options = options;
        _fs = options.FileSystem;
        _snapshots = snapshots;
        _state = recovered.Log;
        _segments = recovered.Segments;
        _current = _fs.OpenAppend(_segments[^1].Path);
        InitWriterView();
        _writer = Task.Run(RunWriterAsync);
    }

    /// <summary>Opens (recovering) or creates the WAL of <see cref="WalOptions.GroupId"/> under the data dir.</summary>
    public static WriteAheadLog Open(WalOptions options)
    {
        var fs = options.FileSystem;
        fs.CreateDirectory(options.WalDirectory);
        fs.CreateDirectory(options.SnapshotDirectory);
        var snapshots = new SnapshotStore(fs, options.SnapshotDirectory, options.Log);
        var recovered = new WalRecovery(options, snapshots).Recover();
        if (recovered.Segments.Count == 0)
        {
            recovered.Segments.Add(new WalSegment(1, Path.Combine(options.WalDirectory, WalSegment.FileName(1))));
            fs.OpenAppend(recovered.Segments[0].Path).Dispose();
            fs.FlushDirectory(options.WalDirectory);
        }
        return new WriteAheadLog(options, snapshots, recovered);
    }

    /// <summary>Number of fsyncs of WAL segments since open: one per group-committed batch.</summary>
    public long FsyncCount => Interlocked.Read(ref _fsyncCount);

    public bool IsFailed => _failure is not null;

    public HardState HardState { get { lock (_stateLock) return _state.HardState; } }
    public ulong FirstIndex { get { lock (_stateLock) return _state.FirstIndex; } }
    public ulong LastIndex { get { lock (_stateLock) return _state.LastIndex; } }
    public Snapshot Snapshot { get { lock (_stateLock) return _state.Snapshot; } }

    public bool TryTerm(ulong index, out ulong term) { lock (_stateLock) return _state.TryTerm(index, out term); }

    public IReadOnlyList<Entry> Entries(ulong lo, ulong hi, long maxBytes) { lock (_stateLock) return _state.Entries(lo, hi, maxBytes); }

    /// <summary>True once <paramref name="appliedIndex"/> is <see cref="WalOptions.SnapshotCount"/> or more
    /// entries past the latest snapshot.</summary>
    public bool ShouldSnapshot(ulong appliedIndex)
    {
        var snapIndex = Snapshot.Metadata.Index;
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
        finally { _current.Dispose(); }
    }
}
