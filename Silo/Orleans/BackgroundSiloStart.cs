using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Coordinator.Silo.Orleans;

/// <summary>
/// Starts Orleans' own silo hosted service without holding up the host's start: Kestrel serves clients while
/// the silo waits for the Raft group (<see cref="RaftGroupGate"/>), as etcd serves before it has quorum. A silo
/// that fails to start is logged and the member goes on serving etcd's API without it (the etcd surface never
/// depends on the silo). Stop cancels a start still under way, then stops the
/// silo, for no longer than the host's shutdown timeout.
/// </summary>
internal sealed class BackgroundSiloStart(IHostedService silo, ILogger logger) : IHostedService
{
    private readonly CancellationTokenSource _starting = new();
    private Task _start = Task.CompletedTask;

    /// <summary>Completes when the silo is active (faults when its start failed).</summary>
    public Task Started => _start;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _start = Task.Run(async () =>
        {
            try
            {
                await silo.StartAsync(_starting.Token);
                logger.LogInformation("silo is active");
            }
            catch (Exception e) when (!_starting.IsCancellationRequested)
            {
                logger.LogError(e, "silo failed to start; the member serves etcd's API without it");
                throw;
            }
        });
        return Task.CompletedTask;
    }

    private Task? _stop;

    /// <summary>Once: the host may stop its services more than once (stop, then dispose).</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_starting) return _stop ??= StopOnceAsync(cancellationToken);
    }

    private async Task StopOnceAsync(CancellationToken cancellationToken)
    {
        await _starting.CancelAsync();
        try { await _start.WaitAsync(cancellationToken); }
        catch (Exception) when (!cancellationToken.IsCancellationRequested) { } // logged above or cancelled
        if (!_start.IsCompletedSuccessfully) return; // Orleans refuses to stop a silo that never became active
        // Bounded by the host's shutdown timeout: a member removed from the cluster (or without quorum) cannot
        // write its silo's last row, and Orleans' graceful stop would wait for that write.
        try
        {
            await silo.StopAsync(cancellationToken).WaitAsync(cancellationToken);
            logger.LogInformation("silo stopped");
        }
        catch (OperationCanceledException) { logger.LogWarning("silo did not stop within the shutdown timeout; stopped without leaving its row"); }
    }
}
