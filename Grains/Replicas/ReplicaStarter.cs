using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Coordinator.Grains.Replicas;

/// <summary>
/// When the silo becomes active, activates this member's replica of every group in the catalog that lists the
/// member as a voter: after a restart they rejoin their groups without waiting for a peer's message (which never
/// comes when every member restarted). Activation lands on this silo by placement; failures are logged.
/// </summary>
internal sealed class ReplicaStarter(LocalMember member, ReplicaGroupCatalog catalog, IGrainFactory grains, ILogger<ReplicaStarter> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ReplicaStarter), ServiceLifecycleStage.Active, OnActive, _ => Task.CompletedTask);

    private Task OnActive(CancellationToken cancellationToken)
    {
        foreach (var spec in catalog.All.Where(s => s.Voters.Contains(member.Id)))
        {
            var key = new ReplicaKey(spec.GroupId, member.Id).ToString();
            _ = grains.GetGrain<IReplicaGrain>(key).Status().ContinueWith(
                t => Log.WakeFailed(logger, t.Exception!.GetBaseException(), key),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        return Task.CompletedTask;
    }
}
