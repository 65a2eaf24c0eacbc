using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;

namespace Coordinator.Grains.Replicas;

public static class ReplicaSiloBuilderExtensions
{
    /// <summary>
    /// Makes this silo the home of member <paramref name="memberId"/>'s replica grains: it advertises the member in
    /// its grain manifest, places replica grains by <see cref="HomeMemberPlacement"/>, opens their logs from the
    /// provider <paramref name="logs"/> makes (one per silo, disposed with it), and wakes its replicas of the
    /// catalog's groups when it starts. A <see cref="ReplicaGroupCatalog"/> registered by the caller is used as is.
    /// </summary>
    public static ISiloBuilder AddReplicaGrains(this ISiloBuilder silo, ulong memberId,
        Func<IServiceProvider, IReplicaLogProvider> logs, Action<ReplicaHostingOptions> configure)
    {
        if (memberId == 0) throw new ArgumentException("member id must not be 0", nameof(memberId));
        var services = silo.Services;
        services.AddSingleton(new LocalMember(memberId));
        services.AddSingleton(logs);
        services.TryAddSingleton<ReplicaGroupCatalog>();
        services.Configure(configure);
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ReplicaStarter>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, QuietGroupWaker>();
        silo.AddPlacementDirector<HomeMemberPlacement, HomeMemberPlacementDirector>();
        return silo;
    }
}
