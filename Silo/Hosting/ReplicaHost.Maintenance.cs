using System.Buffers.Binary;
using Coordinator.Gateway;
using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Microsoft.Extensions.Logging;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// Maintenance: alarms (NOSPACE when the store outgrows --quota-backend-bytes; replicated so every member
/// refuses the same writes), snapshots for backup, defragmentation, and stopping when removed.
/// </summary>
public sealed partial class ReplicaHost
{
    /// <summary>Active alarms as (member, type); replaced, never mutated, so readers need no lock.</summary>
    private volatile IReadOnlySet<(ulong Member, AlarmType Type)> _alarms = new HashSet<(ulong, AlarmType)>();
    private readonly CancellationTokenSource _removed = new();
    private long _measuredBytes;             // published

    /// <summary>Cancelled once this member's removal from the cluster has been applied: the process stops.</summary>
    public CancellationToken RemovedToken => _removed.Token;

    public bool NoSpace => _alarms.Any(a => a.Type == AlarmType.Nospace);

    public const string RemovedNoticeMethod = "member-removed";

    /// <summary>The leader tells a removed member, which may never receive the entry removing it (the new
    /// membership stops replicating to it the moment the entry is appended).</summary>
    private void NotifyRemoved(ulong member) => _ = Task.Run(async () =>
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _network.CallAsync(member, RemovedNoticeMethod, [], timeout.Token);
                return;
            }
            catch (Exception) { await Task.Delay(1000); }
        }
    });

    public Task<byte[]> HandleRemovedNoticeAsync()
    {
        OnRemovedFromCluster();
        return Task.FromResult(Array.Empty<byte>());
    }

    private void OnRemovedFromCluster()
    {
        if (_removed.IsCancellationRequested) return;
        _logger.LogWarning("this member was removed from the cluster; stopping");
        _removed.Cancel();
    }

    /// <summary>Writes that grow the store are refused while NOSPACE is raised (deletes, compaction,
    /// lease revocation and reads still work), as etcd does.</summary>
    private void CheckSpace(RaftRequest request)
    {
        if (!NoSpace) return;
        var grows = request.CommandCase switch
        {
            RaftRequest.CommandOneofCase.Put or RaftRequest.CommandOneofCase.LeaseGrant => true,
            RaftRequest.CommandOneofCase.Txn => TxnWrites(request.Txn),
            _ => false,
        };
        if (grows) throw new NodeException(8, "etcdserver: mvcc: database space exceeded");
    }

    private static bool TxnWrites(TxnRequest txn) =>
        txn.Success.Concat(txn.Failure).Any(op => op.RequestCase == RequestOp.RequestOneofCase.RequestPut ||
                                                  (op.RequestCase == RequestOp.RequestOneofCase.RequestTxn && TxnWrites(op.RequestTxn)));

    /// <summary>Loop, every tick: publishes the store's size (kept up to date by every write, so reading it
    /// costs nothing); the leader raises NOSPACE when it outgrows the quota.</summary>
    private long _noSpaceProposedAt = long.MinValue / 2; // loop: when NOSPACE was last proposed

    private void TickQuota()
    {
        var bytes = Store.SizeBytes;
        Interlocked.Exchange(ref _measuredBytes, bytes);
        if (_isLeader && bytes > _options.QuotaBackendBytes && !NoSpace && Now - _noSpaceProposedAt >= 1000)
        {
            _noSpaceProposedAt = Now;
            _logger.LogWarning("the store ({Bytes} bytes) exceeds --quota-backend-bytes ({Quota}); raising NOSPACE", bytes, _options.QuotaBackendBytes);
            ProposeInternal(new RaftRequest { Alarm = new AlarmChange { Action = AlarmRequest.Types.AlarmAction.Activate, MemberId = MemberId, Alarm = AlarmType.Nospace } });
        }
    }

    private void ApplyAlarm(AlarmChange change)
    {
        var next = new HashSet<(ulong, AlarmType)>(_alarms);
        var key = (change.MemberId, change.Alarm);
        if (change.Action == AlarmRequest.Types.AlarmAction.Activate) next.Add(key);
        else if (change.Action == AlarmRequest.Types.AlarmAction.Deactivate) next.Remove(key);
        _alarms = next;
    }

    public async Task<AlarmResponse> AlarmAsync(AlarmRequest request, CancellationToken cancellationToken)
    {
        if (request.Action != AlarmRequest.Types.AlarmAction.Get)
        {
            var change = new AlarmChange { Action = request.Action, MemberId = request.MemberID, Alarm = request.Alarm };
            if (request.Action == AlarmRequest.Types.AlarmAction.Deactivate && request.MemberID == 0)
            {
                // etcdctl alarm disarm names each alarm it listed; accept "all members" too.
                foreach (var (member, type) in _alarms.Where(a => request.Alarm == AlarmType.None || a.Type == request.Alarm))
                    await ProposeAsync(new RaftRequest { Alarm = new AlarmChange { Action = request.Action, MemberId = member, Alarm = type } }, cancellationToken);
            }
            else await ProposeAsync(new RaftRequest { Alarm = change }, cancellationToken);
        }
        var response = new AlarmResponse();
        foreach (var (member, type) in _alarms.OrderBy(a => a.Member))
            response.Alarms.Add(new AlarmMember { MemberID = member, Alarm = type });
        return response;
    }

    public Task DefragmentAsync(CancellationToken cancellationToken)
    {
        // Compacts every generation (the large-object heap holding the values too) and decommits what is free.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return Task.CompletedTask;
    }

    /// <summary>A backup: "CRDSNAP1", the applied index, the state machine (members + store), CRC32C of all before.</summary>
    public async Task<byte[]> SnapshotAsync(CancellationToken cancellationToken)
    {
        // Captured on the loop (cheap), encoded here, so a large store does not stall replication.
        var image = await OnLoop(CaptureStateMachine, cancellationToken);
        return BackupFile.Encode(image.AppliedIndex, image.ToArray());
    }

    private IReadOnlyList<string> AlarmErrors() =>
        _alarms.Select(a => $"memberID:{a.Member} alarm:{a.Type.ToString().ToUpperInvariant()} ").ToList();
}
