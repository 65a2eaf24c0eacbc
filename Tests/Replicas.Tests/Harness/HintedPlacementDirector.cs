using Coordinator.Grains.Replicas;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Orleans.TestingHost;

namespace Coordinator.Replicas.Tests.Harness;

/// <summary>
/// A test hook standing in for anything that could place a replica grain on a wrong silo (a buggy or replaced
/// director, a stale directory entry): it places where the call's placement hint says, and only without one asks the
/// real <see cref="HomeMemberPlacementDirector"/>.
/// </summary>
public sealed class HintedPlacementDirector(IClusterManifestProvider manifests) : IPlacementDirector
{
    private readonly HomeMemberPlacementDirector _home = new(manifests);

    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context) =>
        IPlacementDirector.GetPlacementHint(target.RequestContextData, context.GetCompatibleSilos(target)) is { } hinted
            ? Task.FromResult(hinted)
            : _home.OnAddActivation(strategy, target, context);
}

/// <summary>Replaces the replica grains' director with <see cref="HintedPlacementDirector"/> (added after
/// <see cref="MemberSiloConfigurator"/>, so its registration is the one resolved).</summary>
public sealed class HintedPlacementConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder silo) =>
        silo.Services.AddKeyedSingleton<IPlacementDirector, HintedPlacementDirector>(typeof(HomeMemberPlacement));
}
