using System.Globalization;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Coordinator.Grains.Replicas;

/// <summary>
/// Chooses, for <c>ReplicaGrain("{group}/{member}")</c>, the compatible silo that advertises that member; when none
/// does (the member's silo is down or not joined yet) placement fails with <see cref="ReplicaHomeUnavailableException"/>
/// rather than falling back to another silo. A placement hint is ignored: it could only name another silo.
/// </summary>
public sealed class HomeMemberPlacementDirector(IClusterManifestProvider manifests) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString()!;
        if (!ReplicaKey.TryParse(key, out var replica))
            throw new ArgumentException($"replica key \"{key}\" is not \"{{groupId}}/{{memberId}}\" with two non-zero decimal ids");
        var home = FindHome(replica.MemberId, target.GrainIdentity.Type, context.GetCompatibleSilos(target));
        return home is not null ? Task.FromResult(home) : Task.FromException<SiloAddress>(new ReplicaHomeUnavailableException(key));
    }

    /// <summary>The silo among <paramref name="silos"/> whose manifest names <paramref name="member"/>; when two do
    /// (a member restarted before its old silo was declared dead), the newest incarnation.</summary>
    private SiloAddress? FindHome(ulong member, GrainType grainType, SiloAddress[] silos)
    {
        var wanted = member.ToString(CultureInfo.InvariantCulture);
        var cluster = manifests.Current;
        SiloAddress? home = null;
        foreach (var silo in silos)
        {
            if (!cluster.Silos.TryGetValue(silo, out var manifest) ||
                !manifest.Grains.TryGetValue(grainType, out var grain) ||
                !grain.Properties.TryGetValue(LocalMember.ManifestProperty, out var advertised) ||
                advertised != wanted)
                continue;
            if (home is null || silo.Generation > home.Generation) home = silo;
        }
        return home;
    }
}
