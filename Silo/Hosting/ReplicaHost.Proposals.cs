using Coordinator.Gateway;
using Coordinator.Grains.Raft;
using Coordinator.Grains.Store;
using Coordinator.Protocol.Internal;
using Google.Protobuf;

namespace Coordinator.Silo.Hosting;

public sealed partial class ReplicaHost
{
    private readonly RequestIdGenerator _requestIds;
    private readonly Dictionary<ulong, TaskCompletionSource<ApplyResult>> _waiters = new(); // loop
    /// <summary>Proposals that found no leader (or a transfer in progress): retried when one appears. Loop.</summary>
    private readonly List<(RaftRequest Request, byte[] Data, long Since)> _awaitingLeader = new();

    public async Task<ApplyResult> ProposeAsync(RaftRequest request, CancellationToken cancellationToken)
    {
        if (_stopped) throw NodeException.Stopped();
        CheckSpace(request);
        request.Id = _requestIds.Next();
        var data = request.ToByteArray();
        var tcs = new TaskCompletionSource<ApplyResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            _waiters[request.Id] = tcs;
            QueueProposal(request, data);
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

    /// <summary>Proposals queued by the current inbox drain, proposed together by <see cref="FlushProposals"/>:
    /// one append (and one message per follower) for many client requests. Loop.</summary>
    private readonly List<(RaftRequest Request, byte[] Data)> _proposalBatch = new();
    private long _proposalBatchBytes; // loop
    private const long ProposalBatchBytes = 1 << 20;

    /// <summary>Loop: queues a proposal for this drain's batch (flushed at once when the batch is large).</summary>
    private void QueueProposal(RaftRequest request, byte[] data)
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
        var result = _replica.Propose(batch.Select(p => (ReadOnlyMemory<byte>)p.Data).ToArray());
        switch (result.Outcome)
        {
            case ProposeOutcome.Appended or ProposeOutcome.Forwarded:
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
        request.Id = _requestIds.Next();
        _replica.Propose(request.ToByteArray());
    }

    private void Complete(ApplyResult result)
    {
        if (_waiters.Remove(result.RequestId, out var tcs)) tcs.TrySetResult(result);
    }

    private void Fail(ulong requestId, Exception error)
    {
        if (_waiters.Remove(requestId, out var tcs)) tcs.TrySetException(error);
    }

    private void FailAllWaiters(Exception error)
    {
        foreach (var tcs in _waiters.Values) tcs.TrySetException(error);
        _waiters.Clear();
        foreach (var list in _readsInFlight.Values)
            foreach (var tcs in list) tcs.TrySetException(error);
        _readsInFlight.Clear();
        foreach (var tcs in _readsWaiting) tcs.TrySetException(error);
        _readsWaiting.Clear();
        foreach (var (_, tcs) in _readsAwaitingApply) tcs.TrySetException(error);
        _readsAwaitingApply.Clear();
    }
}
