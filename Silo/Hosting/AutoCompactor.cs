using Coordinator.Gateway;
using Coordinator.Protocol.Internal;
using Coordinator.Silo.Configuration;
using Etcdserverpb;
using Microsoft.Extensions.Logging;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// etcd's auto compaction, run by the leader: "periodic" keeps a time window of history (it samples the
/// revision as time passes and compacts to the one sampled a window ago); "revision" keeps the last N revisions.
/// </summary>
public sealed class AutoCompactor(AutoCompaction settings, ICoordinatorNode node, ILogger logger)
{
    private readonly Queue<(DateTime At, long Revision)> _samples = new();
    private long _lastCompacted;

    public TimeSpan Interval => settings.Periodic
        ? TimeSpan.FromMilliseconds(Math.Clamp(settings.Window.TotalMilliseconds / 10, 1000, 300_000))
        : TimeSpan.FromSeconds(5);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!settings.Enabled) return;
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try { await CompactOnceAsync(DateTime.UtcNow, cancellationToken); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("auto compaction failed: {Error}", e.Message);
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>One round: returns the revision compacted to, or 0.</summary>
    public async Task<long> CompactOnceAsync(DateTime now, CancellationToken cancellationToken)
    {
        var current = node.Store.CurrentRevision;
        _samples.Enqueue((now, current));
        long target = 0;
        if (settings.Periodic)
        {
            while (_samples.Count > 1 && now - _samples.Peek().At >= settings.Window) target = _samples.Dequeue().Revision;
        }
        else
        {
            _samples.Clear();
            target = current - settings.Revisions;
        }
        if (node.LeaderId != node.MemberId || target <= Math.Max(_lastCompacted, node.Store.CompactRevision)) return 0;
        var result = await node.ProposeAsync(new RaftRequest { Compaction = new CompactionRequest { Revision = target } }, cancellationToken);
        if (result.Error is not null) return 0;
        _lastCompacted = target;
        logger.LogInformation("auto compaction: compacted to revision {Revision}", target);
        return target;
    }
}
