using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>
/// The member's write-ahead log, shared by every Raft group on the member: one sequence of segments, one
/// writer loop, one fsync per batch whatever the number of groups. <see cref="OpenGroup"/> gives a group its
/// <see cref="WriteAheadLog"/> (its <see cref="IRaftLogStorage"/>).
/// <para>
/// On disk: member/wal/&lt;sequence&gt;.wal, frames of length u32 | CRC-32C u32 | type u8 | payload
/// (<see cref="WalFrame"/>). Every record written is a group record whose payload starts with the group id
/// (u64 LE): GroupEntries, GroupHardState, GroupSnapshotMarker or GroupRemoved (<see cref="WalRecordCodec"/>).
/// Snapshot files are per group, member/snap/&lt;group&gt;/. A data dir of the single-group WAL of earlier
/// versions has its segments in member/wal/&lt;group&gt;/, records without group ids: they are read as records
/// of that group, first in the sequence, never written again, and deleted as below.
/// </para>
/// Invariants:
/// <list type="bullet">
/// <item>A record belongs to the group its id names; a group's records in log order are its writes in the
/// order they were acknowledged. A GroupRemoved record voids every earlier record of its group.</item>
/// <item>Every segment after the first starts with the snapshot marker and HardState, as written so far, of
/// every group present when it was started, so deleting older segments never loses either.</item>
/// <item>Segments are deleted oldest first, never the newest, and only when for every group present its
/// entries in them lie at or below its oldest kept snapshot (or its log was since replaced by a received
/// snapshot, or its live entries were carried forward into a later segment); a removed group holds back
/// nothing.</item>
/// <item>The log keeps at most <see cref="WalOptions.SegmentSlack"/> + 1 segments beyond twice its groups'
/// live entries, whatever a group does: the groups holding back the oldest are carried forward
/// (SharedWriteAheadLog.CarryForward.cs).</item>
/// <item>A WAL directory is open in one shared log, and a group in at most one view, at a time in this process
/// (<see cref="WalInUseException"/>); <see cref="DataDirLock"/> keeps other processes out.</item>
/// <item>Any write or fsync error fails the log for every group (<see cref="WalFailedException"/>).</item>
/// </list>
/// </summary>
public sealed partial class SharedWriteAheadLog : IDisposable
{
    /// <summary>The WAL directories open in this process, per file system: one shared log per directory.</summary>
    private static readonly ConditionalWeakTable<IWalFileSystem, HashSet<string>> OpenDirectories = new();

    private readonly WalOptions _options;
    private readonly IWalFileSystem _fs;
    private readonly Lock _groupsLock = new();
    private readonly Dictionary<ulong, WalGroup> _groups = new(); // guarded by _groupsLock; only the writer removes
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _writer;
    private long _fsyncCount;
    private volatile bool _disposed;
    private volatile WalFailedException? _failure;

    private SharedWriteAheadLog(WalOptions options, RecoveredLog recovered, SegmentPipeline pipeline)
    {
        _options = options;
        _fs = options.FileSystem;
        _pipeline = pipeline;
        _segments = recovered.Segments;
        _legacyDirectory = recovered.LegacyDirectory;
        var legacyLast = _segments.LastOrDefault(s => s.LegacyGroup is not null);
        Reader = new EntryReader(_fs, options.WalDirectory, legacyLast is null ? null : (recovered.LegacyDirectory!, legacyLast.Sequence));
        foreach (var g in recovered.Groups) _groups[g.Id] = new WalGroup(g.Id, g.Log, g.Snapshots, g.Segments, g.Snapshot);
        if (_segments.Count > 0 && _segments[^1].LegacyGroup is null)
            _current = _fs.OpenAppendAt(_segments[^1].Path, recovered.AppendOffset);
    }

    /// <summary>Opens (recovering every group) or creates the member's WAL under the data dir.</summary>
    public static SharedWriteAheadLog Open(WalOptions options)
    {
        var fs = options.FileSystem;
        Register(options);
        SegmentPipeline? pipeline = null;
        SharedWriteAheadLog? log = null;
        try
        {
            fs.CreateDirectory(options.WalDirectory);
            fs.CreateDirectory(WalPaths.SnapshotRoot(options.DataDir));
            var recovered = new SharedWalRecovery(options).Recover();
            pipeline = new SegmentPipeline(fs, options.WalDirectory,
                options.PreallocateSegments ? options.SegmentSizeBytes : 0, options.PrepareSegmentsInBackground);
            log = new SharedWriteAheadLog(options, recovered, pipeline);
            log.Start();
            return log;
        }
        catch
        {
            log?._current?.Dispose();
            pipeline?.Dispose();
            Unregister(options);
            throw;
        }
    }

    private static void Register(WalOptions options)
    {
        lock (OpenDirectories)
            if (!OpenDirectories.GetOrCreateValue(options.FileSystem).Add(Path.GetFullPath(options.WalDirectory)))
                throw new WalInUseException($"wal {options.WalDirectory} is already open in this process");
    }

    private static void Unregister(WalOptions options)
    {
        lock (OpenDirectories) OpenDirectories.GetOrCreateValue(options.FileSystem).Remove(Path.GetFullPath(options.WalDirectory));
    }

    internal WalOptions Options => _options;
    internal EntryReader Reader { get; }

    /// <summary>Number of fsyncs of WAL segments since open: one per group-committed batch.</summary>
    public long FsyncCount => Interlocked.Read(ref _fsyncCount);

    public bool IsFailed => _failure is not null;

    internal WalFailedException? Failure => _failure;

    /// <summary>The groups the log holds (recovered or opened since, not removed).</summary>
    public IReadOnlyList<ulong> Groups { get { lock (_groupsLock) return _groups.Keys.Order().ToList(); } }

    /// <summary>Opens the log of <paramref name="groupId"/> (empty if the log holds none yet). Throws
    /// <see cref="WalInUseException"/> while another view of it is open or it is being removed.</summary>
    public WriteAheadLog OpenGroup(ulong groupId) => OpenGroup(groupId, ownsLog: false);

    internal WriteAheadLog OpenGroup(ulong groupId, bool ownsLog)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failure is { } failure) throw failure;
        lock (_groupsLock)
        {
            if (_groups.TryGetValue(groupId, out var group))
            {
                if (group.Removing) throw new WalInUseException($"wal group {groupId} is being removed");
                if (group.Owner is not null)
                    throw new WalInUseException($"wal group {groupId} is already open in this process; a second replica of the group on this member cannot open its log");
            }
            else
            {
                // A new group: nothing of it is in the log, and no save of it can be running (leftovers are a crash's).
                var snapshots = SharedWalRecovery.OpenSnapshots(_options, groupId);
                group = new WalGroup(groupId, new WalLogState(HardState.Empty, SnapshotMetadata.Empty, new IndexedRun<EntryLocation>(1), _options.EntryCacheBytes),
                    snapshots, new GroupSegmentUse(), Snapshot.Empty);
                _groups.Add(groupId, group);
            }
            var view = new WriteAheadLog(this, group, ownsLog);
            group.Owner = view;
            return view;
        }
    }

    /// <summary>Removes a group that left this member: writes its removal (one fsync), after which none of its
    /// records count or hold back segment deletion, then deletes its snapshot files. Throws
    /// <see cref="WalInUseException"/> while it is open. False when the log holds no such group.</summary>
    public bool RemoveGroup(ulong groupId)
    {
        WalGroup? group;
        lock (_groupsLock)
        {
            if (!_groups.TryGetValue(groupId, out group)) return false;
            if (group.Owner is not null || group.Removing)
                throw new WalInUseException($"wal group {groupId} is open or being removed; close it before removing it");
            group.Removing = true;
        }
        Enqueue(new PendingWrite { Group = group, Kind = PendingWriteKind.Remove }).GetAwaiter().GetResult();
        return true;
    }

    /// <summary>Called by a view's Dispose once its close was written.</summary>
    internal void Release(WalGroup group, WriteAheadLog view)
    {
        lock (_groupsLock)
            if (group.Owner == view) group.Owner = null;
    }

    internal Task Enqueue(PendingWrite write)
    {
        if (_failure is { } failure) return Task.FromException(failure);
        if (!_queue.Writer.TryWrite(write))
            return Task.FromException(_failure ?? (Exception)new ObjectDisposedException(nameof(SharedWriteAheadLog)));
        return write.Completion;
    }

    /// <summary>Fails the log for every group (a snapshot file could not be written); returns the failure.</summary>
    internal WalFailedException Fail(string message, Exception error)
    {
        _failure ??= new WalFailedException($"wal {_options.WalDirectory} failed {message}: {error.Message}", error);
        return _failure;
    }

    /// <summary>A term or vote must be durable before the replica acts on it (one vote per term); a commit
    /// index need not: it is relearned from the leader, and recovery starts from the durable one (a snapshot
    /// is committed by definition). As etcd's raft.MustSync: a HardState that only advances the commit is
    /// written without an fsync, and becomes durable with the next fsync of the log.</summary>
    internal static bool MustSync(HardState next, HardState previous) =>
        next.Term != previous.Term || next.Vote != previous.Vote;

    /// <summary>Stops the writer once every queued write is done; views still open refuse writes from then on.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _queue.Writer.TryComplete();
        try { _writer?.GetAwaiter().GetResult(); }
        finally
        {
            // A clean close keeps the last commit index too (a crash may lose it: it is relearned).
            if (_currentUnsynced && _failure is null)
            {
                try { Sync(); }
                catch (IOException) { }
            }
            _current?.Dispose();
            _pipeline.Dispose();
            Unregister(_options);
        }
    }
}
