using Coordinator.Grains.Store.V2;
using Coordinator.Grains.Store.V2Auth;
using Coordinator.Protocol.Internal;

namespace Coordinator.Gateway.Http.V2;

/// <summary>
/// What etcd's v2 HTTP API needs from the member it runs in (implemented by the Silo's replica host).
/// Thread-safe. Membership changes go through <see cref="IClusterAdmin"/> (the v3 rules, shared).
/// </summary>
public interface IV2Node
{
    ulong ClusterId { get; }
    ulong MemberId { get; }
    ulong LeaderId { get; }
    ulong RaftTerm { get; }
    /// <summary>X-Raft-Index: the Raft index this member has applied.</summary>
    ulong RaftIndex { get; }
    /// <summary>The local v2 store: plain gets and watches read it directly.</summary>
    V2Store V2Store { get; }

    /// <summary>Replicates a v2 write and returns its event; refusals throw <see cref="V2Error"/>, member
    /// failures <see cref="NodeException"/>.</summary>
    Task<V2Event> ProposeV2Async(V2Write write, CancellationToken cancellationToken);

    /// <summary>The local v2 auth store (users, roles, enabled): every v2 request's access check reads it.</summary>
    V2AuthStore V2Auth { get; }

    /// <summary>Replicates a v2 auth change and returns what it wrote; refusals throw <see cref="V2AuthError"/>,
    /// member failures <see cref="NodeException"/>.</summary>
    Task<V2AuthResult> ProposeV2AuthAsync(V2AuthCommand command, CancellationToken cancellationToken);

    /// <summary>Returns once everything committed before the call is applied here (quorum reads).</summary>
    Task ReadBarrierAsync(CancellationToken cancellationToken);

    /// <summary>Called on the apply thread with every applied v2 change (in index order), and with
    /// <c>restored: true</c> after the store was replaced by a snapshot. Must not block.</summary>
    IDisposable SubscribeV2(Action<IReadOnlyList<V2Event>, bool> onApplied);

    /// <summary>Members with their full client URLs (as v2 clients dial them), by id.</summary>
    IReadOnlyList<MemberInfo> V2Members();

    /// <summary>/v2/stats/self.</summary>
    V2SelfStats SelfStats();

    /// <summary>/v2/stats/leader; null when this member does not lead.</summary>
    V2LeaderStats? LeaderStats();
}

/// <summary>etcd's ServerStats. Times are UTC; rates are per second over the last appends (0 when idle).</summary>
public sealed record V2SelfStats(
    string Name, ulong Id, string State, DateTime StartTime, ulong LeaderId, DateTime LeaderStartTime,
    long RecvAppendRequestCnt, double RecvPkgRate, double RecvBandwidthRate,
    long SendAppendRequestCnt, double SendPkgRate, double SendBandwidthRate);

/// <summary>etcd's LeaderStats: per follower, append round-trip latency in milliseconds and counts.</summary>
public sealed record V2LeaderStats(ulong LeaderId, IReadOnlyList<V2FollowerStats> Followers);

public sealed record V2FollowerStats(
    ulong Id, double Current, double Average, double StandardDeviation, double Minimum, double Maximum, long Fail, long Success);
