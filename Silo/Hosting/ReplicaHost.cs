using System.Threading.Channels;
using Coordinator.Gateway;
using Coordinator.Grains.Raft;
using Coordinator.Grains.Store;
using Coordinator.Silo.Cluster;
using Coordinator.Silo.Storage;
using Microsoft.Extensions.Logging;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// The only loop that drives this member's replica. Everything that touches the replica runs on the loop
/// as an action from <see cref="_inbox"/>; after each batch of actions the loop processes Readys in order:
/// persist (one fsync) → send → apply → serve reads → Advance. Callers on other threads get tasks.
/// Fields marked "loop" are touched only by the loop; volatile ones are published for readers.
/// </summary>
public sealed partial class ReplicaHost : ICoordinatorNode, IWatchEventSource, IAsyncDisposable
{
    private readonly ReplicaHostOptions _options;
    private readonly WriteAheadLog _wal;
    private readonly Replica _replica;
    private readonly IPeerNetwork _network;
    private readonly ILogger _logger;
    private readonly Channel<Action> _inbox = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private Task? _ticker;

    private volatile bool _stopped;
    private ulong _leaderId;     // published by the loop
    private ulong _term;         // published by the loop
    private ulong _appliedIndex; // published by the loop
    private Task<long>? _snapshotWrite; // loop: the snapshot file being written in the background, if any

    public ReplicaHost(ReplicaHostOptions options, WriteAheadLog wal, KvStore store, MemberTable members,
        IPeerNetwork network, ILogger logger)
    {
        _options = options;
        _wal = wal;
        Store = store;
        MemberTable = members;
        _network = network;
        _logger = logger;
        _appliedIndex = wal.SnapshotMetadata.Index;
        _replica = new Replica(new ReplicaOptions
        {
            Id = options.MemberId,
            Group = 1,
            ElectionTicks = options.ElectionTicks,
            HeartbeatTicks = 1,
            RandomSeed = (int)(options.MemberId ^ (ulong)Environment.TickCount64),
            PreVote = true,
            CheckQuorum = true,
            Applied = _appliedIndex,
        }, wal);
        _term = _replica.Term;
    }

    public ulong ClusterId => _options.ClusterId;
    public ulong MemberId => _options.MemberId;
    public ulong RaftTerm => Interlocked.Read(ref _term);
    public ulong LeaderId => Interlocked.Read(ref _leaderId);
    public ulong AppliedIndex => Interlocked.Read(ref _appliedIndex);
    public KvStore Store { get; }
    public MemberTable MemberTable { get; }
    public IWatchEventSource Events => this;

    public void Start()
    {
        // The only voter has nobody to wait for or to disrupt: it campaigns at once rather than after an election
        // timeout (etcd advances its election ticks for the same reason), so a one-member cluster serves sooner.
        Post(() =>
        {
            var membership = _replica.Membership;
            if (membership.Voters.Count == 1 && membership.IsVoter(MemberId)) _replica.Campaign();
        });
        _loop = Task.Factory.StartNew(RunLoopAsync, TaskCreationOptions.LongRunning).Unwrap();
        _ticker = Task.Run(TickAsync);
    }

    /// <summary>Hands a message from a peer to the replica.</summary>
    /// <summary>Hands a batch of received messages to the loop in one inbox item.</summary>
    public void Deliver(IReadOnlyList<Message> messages) => Post(() =>
    {
        foreach (var message in messages) _replica.Step(message);
    });

    // Transport callbacks: after shutdown there is nobody to tell, and they must never throw into the transport.
    public void ReportUnreachable(ulong peer) => _inbox.Writer.TryWrite(() => _replica.ReportUnreachable(peer));

    public void ReportSnapshot(ulong peer, bool delivered) => _inbox.Writer.TryWrite(() => _replica.ReportSnapshot(peer, delivered));

    /// <summary>Hands leadership to another voter (Maintenance.MoveLeader, graceful shutdown).</summary>
    public void TransferLeadership(ulong target) => Post(() => _replica.TransferLeadership(target));

    private void Post(Action action)
    {
        if (!_inbox.Writer.TryWrite(action)) throw NodeException.Stopped();
    }

    private ReplicaRole _role; // as last reported by the replica; owned by the loop
    private int _tickQueued; // 1 while an OnTick is queued in the inbox

    private async Task TickAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_options.HeartbeatMs));
        try
        {
            // At most one tick waits in the inbox (as a Go ticker drops ticks): after the loop stalls (a long
            // fsync, a snapshot) it must not replay the missed ticks in a burst, which would time out elections
            // and depose a leader whose heartbeats are queued right behind them.
            while (await timer.WaitForNextTickAsync(_stopping.Token))
                if (Interlocked.Exchange(ref _tickQueued, 1) == 0) _inbox.Writer.TryWrite(OnTick);
        }
        catch (OperationCanceledException) { }
    }

    private void OnTick()
    {
        Volatile.Write(ref _tickQueued, 0);
        _replica.Tick();
        TickLeases();
        TickPublish();
        ExpireWaitsForLeader();
        ResubmitLostProposals();
        TickQuota();
        TickV2();
    }

    private async Task RunLoopAsync()
    {
        var reader = _inbox.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token))
            {
                while (reader.TryRead(out var action)) action();
                FlushProposals();
                IssueReadIndex();
                await ProcessReadyAsync();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested) { }
        catch (Exception e)
        {
            // A failed fsync or a broken invariant: stop acknowledging anything (the member must restart).
            Log.LoopFailed(_logger, e);
            _stopped = true;
            FailAllWaiters(new NodeException(14, "etcdserver: server stopped after an internal error: " + e.Message));
            throw;
        }
    }

    private async Task ProcessReadyAsync()
    {
        while (_replica.HasReady)
        {
            var rd = _replica.GetReady();
            if (rd.SoftState is { } ss) OnSoftState(ss);
            if (rd.Snapshot is { } snapshot)
            {
                _wal.ApplySnapshot(snapshot);
                RestoreStateMachine(snapshot);
            }
            // A leader ships entries to followers while its own fsync runs (see Ready.MessagesMayPrecedePersist).
            var sentEarly = rd.MessagesMayPrecedePersist && rd.Messages.Count > 0;
            if (sentEarly) _network.Send(rd.Messages);
            if (rd.HardState is not null || rd.Entries.Count > 0)
            {
                var started = Environment.TickCount64;
                await _wal.SaveAsync(rd.HardState, rd.Entries, CancellationToken.None);
                var took = Environment.TickCount64 - started;
                if (took > 100) Log.SlowFsync(_logger, took, rd.Entries.Count);
            }
            if (rd.HardState is { } hs) Interlocked.Exchange(ref _term, hs.Term);
            foreach (var entry in rd.Entries)
                if (entry.Type == EntryType.ConfigChange) OnConfigChangeAppended(ConfigChange.Decode(entry.Data.Span));
            if (!sentEarly && rd.Messages.Count > 0) _network.Send(rd.Messages);
            foreach (var entry in rd.CommittedEntries) ApplyEntry(entry);
            foreach (var rs in rd.ReadStates) OnReadState(rs);
            ServeReads();
            _replica.Advance(rd);
            MaybeSnapshot();
        }
    }

    private void OnSoftState(SoftState ss)
    {
        if (ss.Role != _role)
        {
            _role = ss.Role;
            if (ss.Role == ReplicaRole.PreCandidate) Log.Campaigning(_logger, "pre-vote", _replica.Term + 1);
            else if (ss.Role == ReplicaRole.Candidate) Log.Campaigning(_logger, "election", _replica.Term);
        }
        var previous = Interlocked.Exchange(ref _leaderId, ss.Leader);
        Interlocked.Exchange(ref _term, _replica.Term);
        if (previous == ss.Leader) return;
        if (ss.Leader == 0) Log.LeaderLost(_logger, previous, _replica.Term);
        else Log.LeaderElected(_logger, ss.Leader, _replica.Term, ss.Leader == MemberId);
        OnLeaderChanged(ss.Role == ReplicaRole.Leader);
    }

    /// <summary>Every --snapshot-count applied entries: captures the state machine on the loop (cheap), streams
    /// it to a snapshot file on a low-priority thread of its own (it yields the cores to commits), then, back on
    /// the loop, writes the WAL marker that compacts the log. At most one snapshot is in flight; the loop keeps replicating meanwhile.</summary>
    private void MaybeSnapshot()
    {
        if (_snapshotWrite is not null) return;
        var applied = AppliedIndex;
        if (!_wal.ShouldSnapshot(applied)) return;
        if (_wal.PrepareSnapshot(applied, _replica.AppliedMembership) is not { } metadata) return;
        var image = CaptureStateMachine();
        var write = LowPriorityThread.Run("snapshot writer", () =>
        {
            var length = image.EncodedLength();
            _wal.WriteSnapshotFile(metadata, length, image.WriteTo);
            return length;
        });
        _snapshotWrite = write;
        write.ContinueWith(done => _inbox.Writer.TryWrite(() => OnSnapshotFileWritten(metadata, done)),
            CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private void OnSnapshotFileWritten(SnapshotMetadata metadata, Task<long> write)
    {
        _snapshotWrite = null;
        // A failed snapshot write fails the WAL; the loop stops as it does on a failed fsync.
        var bytes = write.GetAwaiter().GetResult();
        _wal.CommitSnapshot(metadata);
        Log.SnapshotTaken(_logger, metadata.Index, bytes);
    }

    public NodeStatus Status() => new(
        Version: VersionInfo.ServerVersion,
        DbSize: EstimatedDbSize(), DbSizeInUse: Math.Max(Interlocked.Read(ref _measuredBytes), 4096),
        Leader: LeaderId, RaftIndex: _wal.LastIndex, RaftTerm: RaftTerm, RaftAppliedIndex: AppliedIndex,
        IsLearner: MemberTable.Find(MemberId)?.IsLearner ?? false, Errors: AlarmErrors());

    private long EstimatedDbSize() => Math.Max(4096, Interlocked.Read(ref _measuredBytes));

    public IReadOnlyList<MemberInfo> Members() =>
        MemberTable.AllWithPending.Select(m => new MemberInfo(m.Id, m.Name, m.PeerUrls, GrpcTargets(m.ClientUrls), m.IsLearner)).ToList();

    /// <summary>
    /// Client URLs as gRPC targets: "127.0.0.1:2379" rather than "http://127.0.0.1:2379". etcdctl dials member
    /// lists' URLs as given (`--cluster`) and grpc-go then sends the whole URL as :authority, which etcd's Go
    /// server accepts but Kestrel rejects (PROTOCOL_ERROR); a bare host:port works with every etcd client.
    /// </summary>
    internal static IReadOnlyList<string> GrpcTargets(IReadOnlyList<string> urls) =>
        urls.Select(u => u.StartsWith("http://", StringComparison.Ordinal) ? u["http://".Length..] : u).ToList();

    public async ValueTask DisposeAsync()
    {
        if (_stopped && _loop is null) return;
        _stopped = true;
        _inbox.Writer.TryComplete();
        _stopping.Cancel();
        try { if (_loop is not null) await _loop; } catch { /* logged by the loop */ }
        try { if (_ticker is not null) await _ticker; } catch { }
        // A snapshot file still being written is left to finish (its marker is not written: the next start
        // replays the log instead, and removes a half-written file).
        try { if (_snapshotWrite is { } write) await write.WaitAsync(TimeSpan.FromSeconds(10)); } catch { }
        FailAllWaiters(NodeException.Stopped());
        _stopping.Dispose();
    }
}
