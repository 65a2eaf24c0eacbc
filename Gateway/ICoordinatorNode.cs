using Coordinator.Grains.Store;
using Coordinator.Protocol.Internal;

namespace Coordinator.Gateway;

/// <summary>
/// What the gateway needs from the member it runs in (implemented by the Silo's replica host). Every method
/// is safe to call concurrently. Failures surface as <see cref="NodeException"/> (a gRPC status and etcd's text)
/// or <see cref="StoreException"/> (a refusal by the state machine).
/// </summary>
public interface ICoordinatorNode
{
    ulong ClusterId { get; }
    ulong MemberId { get; }
    /// <summary>The current Raft term and leader (0 = none known).</summary>
    ulong RaftTerm { get; }
    ulong LeaderId { get; }
    /// <summary>The local state machine: serializable reads go straight to it.</summary>
    KvStore Store { get; }
    /// <summary>Fed by the apply loop with every applied change, in revision order.</summary>
    IWatchEventSource Events { get; }

    /// <summary>Replicates <paramref name="request"/> through Raft (forwarded to the leader when this member
    /// follows) and returns the result of applying it on this member. Sets <c>request.Id</c>.</summary>
    Task<ApplyResult> ProposeAsync(RaftRequest request, CancellationToken cancellationToken);

    /// <summary>Returns once this member has applied everything committed before the call (ReadIndex):
    /// a read of <see cref="Store"/> after it is linearizable.</summary>
    Task ReadBarrierAsync(CancellationToken cancellationToken);

    /// <summary>Renews a lease on the leader; returns its TTL in seconds. Throws NotFound for an unknown lease.</summary>
    Task<long> KeepAliveAsync(long leaseId, CancellationToken cancellationToken);

    /// <summary>Remaining seconds of a lease as the leader sees it (-1 if expired/unknown).</summary>
    Task<long> RemainingTtlAsync(long leaseId, CancellationToken cancellationToken);

    IReadOnlyList<MemberInfo> Members();
    NodeStatus Status();
}

/// <summary>A member as Cluster.MemberList shows it.</summary>
public sealed record MemberInfo(ulong Id, string Name, IReadOnlyList<string> PeerUrls, IReadOnlyList<string> ClientUrls, bool IsLearner);

/// <summary>What Maintenance.Status reports.</summary>
public sealed record NodeStatus(
    string Version, long DbSize, long DbSizeInUse, ulong Leader, ulong RaftIndex, ulong RaftTerm,
    ulong RaftAppliedIndex, bool IsLearner, IReadOnlyList<string> Errors);

/// <summary>A failure of the member rather than of the request: no leader, timeout, shutdown.</summary>
public sealed class NodeException(int statusCode, string message) : Exception(message)
{
    /// <summary>gRPC status code (e.g. 14 UNAVAILABLE).</summary>
    public int StatusCode { get; } = statusCode;

    public static NodeException NoLeader() => new(14, "etcdserver: no leader");
    public static NodeException Timeout() => new(14, "etcdserver: request timed out");
    public static NodeException LeaderChanged() => new(14, "etcdserver: leader changed");
    public static NodeException Stopped() => new(14, "etcdserver: server stopped");
}

/// <summary>Applied changes, published by the apply loop after each applied entry (never concurrently).</summary>
public interface IWatchEventSource
{
    /// <summary>Registers a subscriber; it is called on the apply thread and must not block.</summary>
    IDisposable Subscribe(Action<IReadOnlyList<Mvccpb.Event>, long> onApplied);
}
