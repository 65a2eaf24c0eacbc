using System.Collections.Concurrent;
using Coordinator.Gateway;
using Coordinator.Gateway.Http.V2;
using Coordinator.Grains.Raft;
using Coordinator.Grains.Store.V2;
using Coordinator.Protocol.Internal;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// The v2 store on this member: applied from the same log as the v3 store (entries 20–29 of RaftRequest), in the
/// same snapshots. Expiry follows the leader's clock: while keys have a TTL the leader proposes a sync with its
/// time every 500 ms (as etcd), and every member expires at the same index.
/// </summary>
public sealed partial class ReplicaHost : IV2Node
{
    private static readonly long V2SyncIntervalMs = 500;
    private static readonly DateTime ProcessStart = DateTime.UtcNow;

    /// <summary>Results of applied v2 writes someone waits for, by request id (set on the loop before the waiter
    /// completes, taken by <see cref="ProposeV2Async"/>).</summary>
    private readonly ConcurrentDictionary<ulong, object> _v2Results = new();
    private volatile Action<IReadOnlyList<V2Event>, bool>[] _v2Subscribers = [];
    private readonly object _v2SubscribersLock = new();
    private long _lastV2SyncAt; // loop
    private ulong _v2SeenLeader; // loop: the leader as of the last tick
    private long _v2LeaderSinceTicks = DateTime.UtcNow.Ticks; // published: when that leader was first seen

    public V2Store V2Store { get; } = new();

    public ulong RaftIndex => AppliedIndex;

    /// <summary>Loop: applies a v2 command (the v3 store has already recorded the entry's index).</summary>
    private void ApplyV2(RaftRequest request)
    {
        IReadOnlyList<V2Event> events;
        if (request.CommandCase == RaftRequest.CommandOneofCase.V2Sync)
        {
            events = V2Store.ApplySync(request.V2Sync.Time);
        }
        else
        {
            object outcome;
            try { outcome = V2Store.Apply(request.V2Write); }
            catch (V2Error e) { outcome = e; }
            if (request.Session == _session && _waiters.ContainsKey(request.Id)) _v2Results[request.Id] = outcome;
            events = outcome is V2Event e2 ? [e2] : [];
        }
        if (events.Count == 0) return;
        foreach (var subscriber in _v2Subscribers) subscriber(events, false);
    }

    /// <summary>Loop, after a snapshot replaced the stores: watchers continue from the restored index.</summary>
    private void OnV2Restored()
    {
        foreach (var subscriber in _v2Subscribers) subscriber([], true);
    }

    public async Task<V2Event> ProposeV2Async(V2Write write, CancellationToken cancellationToken)
    {
        var request = new RaftRequest { V2Write = write };
        try
        {
            await ProposeAsync(request, cancellationToken);
        }
        catch
        {
            _v2Results.TryRemove(request.Id, out _);
            throw;
        }
        if (!_v2Results.TryRemove(request.Id, out var outcome)) throw NodeException.Timeout();
        return outcome is V2Error error ? throw error : (V2Event)outcome;
    }

    public IDisposable SubscribeV2(Action<IReadOnlyList<V2Event>, bool> onApplied)
    {
        lock (_v2SubscribersLock) _v2Subscribers = [.. _v2Subscribers, onApplied];
        return new V2Subscription(this, onApplied);
    }

    private sealed class V2Subscription(ReplicaHost host, Action<IReadOnlyList<V2Event>, bool> handler) : IDisposable
    {
        public void Dispose()
        {
            lock (host._v2SubscribersLock) host._v2Subscribers = host._v2Subscribers.Where(h => h != handler).ToArray();
        }
    }

    /// <summary>Loop, every tick: the leader proposes a sync with its clock while keys have a TTL; the leader
    /// seen is noted for /v2/stats/self.</summary>
    private void TickV2()
    {
        if (LeaderId != _v2SeenLeader)
        {
            _v2SeenLeader = LeaderId;
            Interlocked.Exchange(ref _v2LeaderSinceTicks, DateTime.UtcNow.Ticks);
            if (_isLeader && _network is PeerNetwork peers)
                foreach (var m in MemberTable.All.Where(m => m.Id != MemberId)) peers.Traffic.Track(m.Id);
        }
        if (!_isLeader || Now - _lastV2SyncAt < V2SyncIntervalMs || !V2Store.HasTtlKeys) return;
        _lastV2SyncAt = Now;
        ProposeInternal(new RaftRequest { V2Sync = new V2Sync { Time = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100 } });
    }

    /// <summary>With members whose addition is in the log but not applied yet: a v2 member add answers once the
    /// addition is accepted, and etcdctl lists the members right after to print ETCD_INITIAL_CLUSTER.</summary>
    public IReadOnlyList<MemberInfo> V2Members() =>
        MemberTable.AllWithPending.Select(m => new MemberInfo(m.Id, m.Name, m.PeerUrls, m.ClientUrls, m.IsLearner)).ToList();

    public V2SelfStats SelfStats()
    {
        var traffic = (_network as PeerNetwork)?.Traffic;
        var (sendPackages, sendBytes) = traffic?.SendRate() ?? (0, 0);
        var (recvPackages, recvBytes) = traffic?.RecvRate() ?? (0, 0);
        var state = _role switch
        {
            ReplicaRole.Leader => "StateLeader",
            ReplicaRole.Candidate => "StateCandidate",
            ReplicaRole.PreCandidate => "StatePreCandidate",
            _ => "StateFollower",
        };
        return new V2SelfStats(_options.Name, MemberId, state, ProcessStart, LeaderId,
            new DateTime(Interlocked.Read(ref _v2LeaderSinceTicks), DateTimeKind.Utc),
            traffic?.RecvAppendRequestCount ?? 0, recvPackages, recvBytes,
            traffic?.SendAppendRequestCount ?? 0, sendPackages, sendBytes);
    }

    public V2LeaderStats? LeaderStats()
    {
        if (LeaderId != MemberId) return null;
        var traffic = (_network as PeerNetwork)?.Traffic;
        var members = MemberTable.All.Where(m => m.Id != MemberId).Select(m => m.Id).ToHashSet();
        var followers = (traffic?.Followers() ?? [])
            .Where(f => members.Contains(f.Id))
            .Select(f => new V2FollowerStats(f.Id, f.Current, f.Average, f.StandardDeviation, f.Minimum, f.Maximum, f.Fail, f.Success))
            .ToList();
        foreach (var id in members.Where(id => followers.All(f => f.Id != id)))
            followers.Add(new V2FollowerStats(id, 0, 0, 0, 1UL << 63, 0, 0, 0));
        return new V2LeaderStats(MemberId, followers);
    }
}
