using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Coordinator.Grains.Replicas;

/// <summary>
/// Wakes this member's replicas when Orleans declares a silo dead: a quiet group whose leader was there would
/// otherwise notice only at its next request. Waking is cheap and harmless (a live leader is never deposed by it:
/// a woken follower gives it a full election timeout), so every local replica is woken, whichever silo died.
/// Liveness only: safety never depends on this (Replica.Quiescence.cs).
/// </summary>
internal sealed class QuietGroupWaker(LocalMember member, ReplicaGroupCatalog catalog, IGrainFactory grains,
    IClusterMembershipService membership, ILogger<QuietGroupWaker> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(QuietGroupWaker), ServiceLifecycleStage.Active, OnActive, OnStop);

    private Task OnActive(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => WatchAsync(_stop.Token));
        return Task.CompletedTask;
    }

    private async Task OnStop(CancellationToken cancellationToken)
    {
        _stop.Cancel();
        if (_loop is { } loop) await loop.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        var dead = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken))
            {
                var newlyDead = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead && dead.Add(m.SiloAddress)).ToList();
                if (newlyDead.Count == 0) continue;
                foreach (var spec in catalog.All.Where(s => s.Voters.Contains(member.Id)))
                {
                    var key = new ReplicaKey(spec.GroupId, member.Id).ToString();
                    _ = grains.GetGrain<IReplicaGrain>(key).Wake().ContinueWith(
                        t => Log.WakeFailed(logger, t.Exception!.GetBaseException(), key),
                        CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { }
    }
}
