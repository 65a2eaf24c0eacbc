using Microsoft.Extensions.Hosting;

namespace Coordinator.Gateway.Http;

/// <summary>
/// etcd_server_leader_changes_seen_total: counts how often the known leader became a different member.
/// The node exposes the leader but no change event, so this samples it; a change and back within one
/// interval is missed (the metric is a health signal, not an audit log).
/// </summary>
public sealed class LeaderChangeCounter(ICoordinatorNode node, GatewayOptions options) : BackgroundService
{
    private ulong _lastLeader;
    private long _changes;

    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>Compares the node's leader with the last one seen; public so tests can drive it.</summary>
    public void Sample()
    {
        var leader = node.LeaderId;
        if (leader == 0 || leader == _lastLeader) return;
        _lastLeader = leader;
        Interlocked.Increment(ref _changes);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.LeaderSampleInterval);
        do Sample();
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
