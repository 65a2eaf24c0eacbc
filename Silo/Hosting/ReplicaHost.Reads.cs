using Coordinator.Gateway;
using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Hosting;

public sealed partial class ReplicaHost
{
    // Linearizable reads, batched: every read that arrives between two loop iterations shares one ReadIndex.
    private readonly List<TaskCompletionSource> _readsWaiting = new();                       // loop
    private readonly Dictionary<ulong, List<TaskCompletionSource>> _readsInFlight = new();   // loop, by context
    private readonly List<(ulong Index, TaskCompletionSource Read)> _readsAwaitingApply = new(); // loop
    private ulong _nextReadContext;
    private long _readsWaitingSince; // loop: when the oldest waiting read arrived

    public async Task ReadBarrierAsync(CancellationToken cancellationToken)
    {
        if (_stopped) throw NodeException.Stopped();
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            if (_readsWaiting.Count == 0) _readsWaitingSince = Now;
            _readsWaiting.Add(tcs);
        });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            await tcs.Task.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw LeaderId == 0 ? DescribeNoLeader() : NodeException.Timeout();
        }
    }

    /// <summary>Loop: asks the replica for one read index covering every waiting read.</summary>
    private void IssueReadIndex()
    {
        if (_readsWaiting.Count == 0) return;
        var context = ++_nextReadContext;
        if (!_replica.ReadIndex(context)) return; // no leader yet: keep them waiting (bounded by their timeout)
        _readsInFlight[context] = _readsWaiting.ToList();
        _readsWaiting.Clear();
    }

    private void OnReadState(ReadState rs)
    {
        if (!_readsInFlight.Remove(rs.Context, out var reads)) return;
        foreach (var r in reads) _readsAwaitingApply.Add((rs.Index, r));
    }

    /// <summary>Loop: completes the reads whose index has been applied.</summary>
    private void ServeReads()
    {
        if (_readsAwaitingApply.Count == 0) return;
        var applied = AppliedIndex;
        _readsAwaitingApply.RemoveAll(r =>
        {
            if (r.Index > applied) return false;
            r.Read.TrySetResult();
            return true;
        });
    }

    /// <summary>Loop: reads sent to a former leader may never be answered; ask again.</summary>
    private void RetryReadsInFlight()
    {
        foreach (var reads in _readsInFlight.Values) _readsWaiting.AddRange(reads);
        _readsInFlight.Clear();
        _readsWaiting.RemoveAll(r => r.Task.IsCompleted);
    }
}
