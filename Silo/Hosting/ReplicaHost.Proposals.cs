using Coordinator.Gateway;
using Coordinator.Grains.Raft;
using Coordinator.Grains.Store;
using Coordinator.Protocol.Internal;
using Google.Protobuf;

namespace Coordinator.Silo.Hosting;

public sealed partial class ReplicaHost
{
    /// <summary>This process's request session (at most once, see the store's RequestSessionTable): random,
    /// never 0, new at every start. Its requests are numbered 1, 2, ... in the order the loop issues them.</summary>
    private readonly ulong _session = RandomSession();
    private ulong _lastRequestId; // loop
    private readonly Dictionary<ulong, TaskCompletionSource<ApplyResult>> _waiters = new(); // loop
    /// <summary>Ids of waited-for proposals in the order the loop issued them (completed ones are dropped
    /// lazily from the front): the head is the floor. Loop.</summary>
    private readonly Queue<ulong> _waiterOrder = new();
    /// <summary>Proposals that found no leader (or a transfer in progress): retried when one appears. Loop.</summary>
    private readonly List<(RaftRequest Request, ReadOnlyMemory<byte> Data, long Since)> _awaitingLeader = new();

    public async Task<ApplyResult> ProposeAsync(RaftRequest request, CancellationToken cancellationToken)
    {
        if (_stopped) throw NodeException.Stopped();
        CheckSpace(request);
        request.Session = _session;
        var payload = new ProposalPayload(request);
        var tcs = new TaskCompletionSource<ApplyResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            request.Id = ++_lastRequestId;
            _waiters[request.Id] = tcs;
            _waiterOrder.Enqueue(request.Id);
            QueueProposal(request, payload.Seal(request.Id, Floor()));
        });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            return await tcs.Task.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Post(() => _waiters.Remove(request.Id));
            throw LeaderId == 0 ? DescribeNoLeader() : NodeException.Timeout();
        }
        catch (OperationCanceledException)
        {
            Post(() => _waiters.Remove(request.Id));
            throw;
        }
    }

    /// <summary>Loop: the lowest id still waited for, or the next id when none is: every lower id was answered
    /// or given up, so the state machine never applies an entry below it (a late copy of an abandoned request).</summary>
    private ulong Floor()
    {
        while (_waiterOrder.TryPeek(out var head) && !_waiters.ContainsKey(head)) _waiterOrder.Dequeue();
        return _waiterOrder.TryPeek(out var lowest) ? lowest : _lastRequestId + 1;
    }

    private static ulong RandomSession()
    {
        Span<byte> bytes = stackalloc byte[8];
        ulong session;
        do
        {
            System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
            session = BitConverter.ToUInt64(bytes);
        } while (session == 0);
        return session;
    }

    /// <summary>Proposals queued by the current inbox drain, proposed together by <see cref="FlushProposals"/>:
    /// one append (and one message per follower) for many client requests. Loop.</summary>
    private readonly List<(RaftRequest Request, ReadOnlyMemory<byte> Data)> _proposalBatch = new();
    private long _proposalBatchBytes; // loop
    private const long ProposalBatchBytes = 1 << 20;

    /// <summary>Loop: queues a proposal for this drain's batch (flushed at once when the batch is large).</summary>
    private void QueueProposal(RaftRequest request, ReadOnlyMemory<byte> data)
    {
        _proposalBatch.Add((request, data));
        _proposalBatchBytes += data.Length;
        if (_proposalBatchBytes >= ProposalBatchBytes) FlushProposals();
    }

    /// <summary>Loop: hands the queued proposals to the replica as one batch; without a leader they wait
    /// (bounded) for one.</summary>
    private void FlushProposals()
    {
        if (_proposalBatch.Count == 0) return;
        var batch = _proposalBatch.ToArray();
        _proposalBatch.Clear();
        _proposalBatchBytes = 0;
        var result = _replica.Propose(batch.Select(p => p.Data).ToArray());
        switch (result.Outcome)
        {
            case ProposeOutcome.Appended or ProposeOutcome.Forwarded:
                foreach (var (request, data) in batch) TrackInFlight(request, data, result.Outcome == ProposeOutcome.Forwarded);
                return;
            case ProposeOutcome.DroppedNoLeader or ProposeOutcome.DroppedLeaderTransfer:
                foreach (var (request, data) in batch) _awaitingLeader.Add((request, data, Now));
                return;
            default:
                foreach (var (request, _) in batch) Fail(request.Id, new NodeException(14, "etcdserver: " + result.Reason));
                return;
        }
    }

    /// <summary>Loop: a leader exists again; resubmit what was waiting for one.</summary>
    private void ResubmitAwaitingLeader()
    {
        if (_awaitingLeader.Count == 0) return;
        var pending = _awaitingLeader.ToList();
        _awaitingLeader.Clear();
        foreach (var (request, data, _) in pending)
            if (_waiters.ContainsKey(request.Id)) QueueProposal(request, data);
        FlushProposals();
    }

    /// <summary>Loop: requests that waited longer than LeaderWait for a leader fail with "no leader".</summary>
    private void ExpireWaitsForLeader()
    {
        var limit = (long)_options.LeaderWait.TotalMilliseconds;
        var now = Now;
        _awaitingLeader.RemoveAll(p =>
        {
            if (now - p.Since < limit) return false;
            Fail(p.Request.Id, DescribeNoLeader());
            return true;
        });
        if (_readsWaiting.Count > 0 && LeaderId == 0 && now - _readsWaitingSince >= limit)
        {
            foreach (var r in _readsWaiting) r.TrySetException(DescribeNoLeader());
            _readsWaiting.Clear();
        }
    }

    /// <summary>Loop: proposes without anyone waiting (lease expiry, publish).</summary>
    private void ProposeInternal(RaftRequest request)
    {
        request.Session = _session;
        var payload = new ProposalPayload(request);
        request.Id = ++_lastRequestId;
        _replica.Propose(payload.Seal(request.Id, Floor()));
    }

    /// <summary>Loop: answers the waiter of one of our requests with a copy (the store keeps the original to
    /// answer repeats). Ids are ours only within our session.</summary>
    private void Complete(RaftRequest request, ApplyResult result)
    {
        if (request.Session != _session) return;
        _inFlight.Remove(result.RequestId);
        if (_waiters.Remove(result.RequestId, out var tcs)) tcs.TrySetResult(result.Detached());
    }

    private void Fail(ulong requestId, Exception error)
    {
        _inFlight.Remove(requestId);
        if (_waiters.Remove(requestId, out var tcs)) tcs.TrySetException(error);
    }

    private void FailAllWaiters(Exception error)
    {
        foreach (var tcs in _waiters.Values) tcs.TrySetException(error);
        _waiters.Clear();
        _inFlight.Clear();
        foreach (var list in _readsInFlight.Values)
            foreach (var tcs in list) tcs.TrySetException(error);
        _readsInFlight.Clear();
        foreach (var tcs in _readsWaiting) tcs.TrySetException(error);
        _readsWaiting.Clear();
        foreach (var (_, tcs) in _readsAwaitingApply) tcs.TrySetException(error);
        _readsAwaitingApply.Clear();
    }
}
