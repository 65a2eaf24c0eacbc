using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Coordinator.Silo.Orleans;

/// <summary>
/// Starts Orleans' own silo hosted service without holding up the host's start: Kestrel serves clients while
/// the silo waits for the Raft group (<see cref="RaftGroupGate"/>), as etcd serves before it has quorum. A silo
/// that fails to start is logged and the member goes on serving etcd's API without it (the etcd surface never
/// depends on the silo). The silo's start (type loading, code generation: about a second of CPU) begins only once
/// the host has started, so it does not compete with binding the listeners and serving the first requests. Stop cancels a start still under way, then stops the
/// silo, for no longer than the host's shutdown timeout.
/// </summary>
internal sealed class BackgroundSiloStart(Func<IHostedService> createSilo, IHostApplicationLifetime lifetime, ILogger logger) : IHostedService
{
    // Built on the background start, not when the host resolves its services: constructing the silo builds
    // Orleans' whole runtime graph, which would hold up the listeners.
    private IHostedService? _silo;
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
                await WhenStartedAsync(lifetime.ApplicationStarted, _starting.Token);
                _silo = createSilo();
                await _silo.StartAsync(_starting.Token);
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

    private static Task WhenStartedAsync(CancellationToken started, CancellationToken cancelled)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        started.Register(() => done.TrySetResult());
        cancelled.Register(() => done.TrySetCanceled(cancelled));
        return done.Task;
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
        if (!_start.IsCompletedSuccessfully || _silo is not { } silo) return; // Orleans refuses to stop a silo that never became active
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
