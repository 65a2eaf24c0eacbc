using System.Buffers.Binary;
using Coordinator.Gateway;
using Coordinator.Grains.Store;
using Coordinator.Protocol.Internal;
using Etcdserverpb;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// The lessor: only the leader keeps lease deadlines (on its monotonic clock) and proposes the revocation of
/// expired leases. A new leader starts every lease's full TTL again, so a leader change extends leases and
/// never cuts them short. Followers forward keep-alives to the leader.
/// </summary>
public sealed partial class ReplicaHost
{
    public const string KeepAliveMethod = "lease-keepalive";
    public const string RemainingTtlMethod = "lease-ttl";

    private readonly Dictionary<long, long> _leaseDeadlines = new(); // loop; leader only; Environment.TickCount64 ms
    private readonly Dictionary<long, long> _expiryProposedAt = new(); // loop
    private bool _isLeader; // loop

    private static long Now => Environment.TickCount64;

    private void OnLeaderChanged(bool isLeader)
    {
        _isLeader = isLeader;
        _leaseDeadlines.Clear();
        _expiryProposedAt.Clear();
        if (isLeader)
            foreach (var lease in Store.Leases()) _leaseDeadlines[lease.Id] = Now + lease.GrantedTtl * 1000;
        RetryReadsInFlight();
        if (LeaderId != 0) ResubmitAwaitingLeader();
        ResubmitLostProposals();
    }

    private void OnLeaseApplied(RaftRequest request, ApplyResult result)
    {
        if (!_isLeader || result.Error is not null) return;
        switch (request.CommandCase)
        {
            case RaftRequest.CommandOneofCase.LeaseGrant when result.Response is LeaseGrantResponse granted:
                _leaseDeadlines[granted.ID] = Now + granted.TTL * 1000;
                break;
            case RaftRequest.CommandOneofCase.LeaseRevoke:
                _leaseDeadlines.Remove(request.LeaseRevoke.ID);
                break;
            case RaftRequest.CommandOneofCase.LeaseExpire:
                foreach (var id in request.LeaseExpire.Ids) { _leaseDeadlines.Remove(id); _expiryProposedAt.Remove(id); }
                break;
        }
    }

    /// <summary>Loop: proposes the revocation of leases past their deadline (again after a second if lost).</summary>
    private void TickLeases()
    {
        if (!_isLeader || _leaseDeadlines.Count == 0) return;
        var now = Now;
        var expired = new LeaseExpire();
        foreach (var (id, deadline) in _leaseDeadlines)
        {
            if (deadline > now) continue;
            if (_expiryProposedAt.TryGetValue(id, out var at) && now - at < 1000) continue;
            _expiryProposedAt[id] = now;
            expired.Ids.Add(id);
        }
        if (expired.Ids.Count > 0) ProposeInternal(new RaftRequest { LeaseExpire = expired });
    }

    public async Task<long> KeepAliveAsync(long leaseId, CancellationToken cancellationToken)
    {
        var leader = LeaderId;
        if (leader == 0) throw NodeException.NoLeader();
        var ttl = leader != MemberId
            ? await ForwardLeaseCallAsync(leader, KeepAliveMethod, leaseId, cancellationToken)
            : await OnLoop(() => RenewOnLeader(leaseId), cancellationToken);
        return ttl >= 0 ? ttl : throw new NodeException(5, "etcdserver: requested lease not found");
    }

    public async Task<long> RemainingTtlAsync(long leaseId, CancellationToken cancellationToken)
    {
        var leader = LeaderId;
        if (leader == 0) throw NodeException.NoLeader();
        if (leader != MemberId) return await ForwardLeaseCallAsync(leader, RemainingTtlMethod, leaseId, cancellationToken);
        return await OnLoop(() => RemainingOnLeader(leaseId), cancellationToken);
    }

    /// <summary>Serves a forwarded lease call from a follower (registered with the transport).</summary>
    public async Task<byte[]> HandleLeaseCallAsync(string method, byte[] body, CancellationToken cancellationToken)
    {
        var id = BinaryPrimitives.ReadInt64LittleEndian(body);
        var ttl = method == KeepAliveMethod
            ? await OnLoop(() => _isLeader ? RenewOnLeader(id) : -2, cancellationToken)
            : await OnLoop(() => _isLeader ? RemainingOnLeader(id) : -2, cancellationToken);
        var reply = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(reply, ttl);
        return reply;
    }

    /// <summary>Loop, leader: restarts the lease's TTL; -1 if the lease does not exist.</summary>
    private long RenewOnLeader(long id)
    {
        if (Store.GetLease(id) is not { } lease) return -1;
        _leaseDeadlines[id] = Now + lease.GrantedTtl * 1000;
        return lease.GrantedTtl;
    }

    private long RemainingOnLeader(long id)
    {
        if (Store.GetLease(id) is null || !_leaseDeadlines.TryGetValue(id, out var deadline)) return -1;
        return Math.Max(0, (deadline - Now + 999) / 1000);
    }

    private async Task<long> ForwardLeaseCallAsync(ulong leader, string method, long id, CancellationToken cancellationToken)
    {
        var body = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(body, id);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        byte[] reply;
        try { reply = await _network.CallAsync(leader, method, body, timeout.Token); }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new NodeException(14, $"etcdserver: cannot reach the leader to renew the lease ({e.Message})");
        }
        var ttl = BinaryPrimitives.ReadInt64LittleEndian(reply);
        if (ttl == -2) throw NodeException.LeaderChanged();
        return ttl;
    }

    private async Task<T> OnLoop<T>(Func<T> action, CancellationToken cancellationToken)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            try { tcs.TrySetResult(action()); }
            catch (Exception e) { tcs.TrySetException(e); }
        });
        return await tcs.Task.WaitAsync(cancellationToken);
    }
}
