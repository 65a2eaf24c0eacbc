using Coordinator.Silo.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace Coordinator.Silo.Orleans;

/// <summary>
/// A silo lifecycle participant: the silo stands on the root Raft group (its membership table lives there), so
/// before the silo initializes its runtime it waits until the group serves linearizable reads — a leader
/// exists and this member has applied what it committed. Waits as long as it takes (a member without quorum
/// serves no silo), until the silo's start is cancelled. Then it declares this member's earlier silos dead
/// (<see cref="EarlierIncarnations"/>).
/// </summary>
internal sealed class RaftGroupGate(ReplicaHost host, IMembershipTable table, string siloName, ILogger logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Just before Orleans reads its membership table.</summary>
    public const int Stage = ServiceLifecycleStage.RuntimeInitialize - 1;

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(RaftGroupGate), Stage, WaitForGroupAsync);

    private async Task WaitForGroupAsync(CancellationToken cancellationToken)
    {
        var logged = false;
        while (true)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await host.ReadBarrierAsync(attempt.Token);
                break;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                if (!logged) logger.LogInformation("silo waits for the Raft group to serve ({Reason})", e.Message);
                logged = true;
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
        await EarlierIncarnations.DeclareDeadAsync(table, siloName, logger, cancellationToken);
    }
}
