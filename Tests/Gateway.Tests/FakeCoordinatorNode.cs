using Coordinator.Gateway;
using Coordinator.Grains.Store;
using Coordinator.Protocol.Internal;
using Mvccpb;

namespace Coordinator.Tests.Gateway;

/// <summary>
/// A single-member "cluster" over a real <see cref="KvStore"/>: proposals apply at once with the next index.
/// Knobs let tests lose the leader or stall reads.
/// </summary>
public sealed class FakeCoordinatorNode : ICoordinatorNode, IWatchEventSource
{
    private readonly object _applyGate = new();
    private readonly List<Action<IReadOnlyList<Event>, long>> _subscribers = [];
    private ulong _index;
    private ulong _nextRequestId;

    public ulong ClusterId => 0xC1;
    public ulong MemberId => 0x11;
    public ulong RaftTerm => 3;
    public ulong LeaderId { get; set; } = 0x11;
    public KvStore Store { get; } = new();
    public IWatchEventSource Events => this;

    /// <summary>When set, ReadBarrierAsync never completes (until cancelled).</summary>
    public bool StallReads { get; set; }

    public Task<ApplyResult> ProposeAsync(RaftRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ApplyResult result;
        List<Action<IReadOnlyList<Event>, long>> subscribers;
        lock (_applyGate)
        {
            request.Id = ++_nextRequestId;
            result = Store.Apply(request, ++_index);
            subscribers = [.. _subscribers];
            // Published under the gate: subscribers see applies in order, never concurrently.
            foreach (var subscriber in subscribers) subscriber(result.Events, Store.CurrentRevision);
        }
        return Task.FromResult(result);
    }

    public async Task ReadBarrierAsync(CancellationToken cancellationToken)
    {
        if (StallReads) await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    public Task<long> KeepAliveAsync(long leaseId, CancellationToken cancellationToken) =>
        Store.GetLease(leaseId) is { } lease ? Task.FromResult(lease.GrantedTtl) : throw StoreErrors.LeaseNotFound();

    public Task<long> RemainingTtlAsync(long leaseId, CancellationToken cancellationToken) =>
        Task.FromResult(Store.GetLease(leaseId)?.GrantedTtl ?? -1);

    public IReadOnlyList<MemberInfo> Members() =>
        [new MemberInfo(MemberId, "fake", ["http://127.0.0.1:2380"], ["http://127.0.0.1:2379"], IsLearner: false)];

    public NodeStatus Status() =>
        new("3.4.0", DbSize: 4096, DbSizeInUse: 2048, Leader: LeaderId, RaftIndex: _index, RaftTerm: RaftTerm,
            RaftAppliedIndex: _index, IsLearner: false, Errors: []);

    public IDisposable Subscribe(Action<IReadOnlyList<Event>, long> onApplied)
    {
        lock (_applyGate) _subscribers.Add(onApplied);
        return new Unsubscriber(() => { lock (_applyGate) _subscribers.Remove(onApplied); });
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
