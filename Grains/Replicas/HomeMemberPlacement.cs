using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Runtime;

namespace Coordinator.Grains.Replicas;

/// <summary>
/// Places a replica grain only on the silo of the member its key names (<see cref="HomeMemberPlacementDirector"/>).
/// Each silo advertises its member in its grain manifest (<see cref="LocalMember.ManifestProperty"/> on the grain
/// types using this strategy), so the director knows every compatible silo's member from the cluster manifest
/// Orleans itself places by: no extra lookup, and never a silo whose member is unknown.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class HomeMemberPlacement : PlacementStrategy
{
    internal static readonly HomeMemberPlacement Instance = new();

    public override void PopulateGrainProperties(IServiceProvider services, Type grainClass, GrainType grainType, Dictionary<string, string> properties)
    {
        base.PopulateGrainProperties(services, grainClass, grainType, properties);
        // Only a silo hosting replicas has a member; a client building its manifest has none.
        if (services.GetService<LocalMember>() is { } member)
            properties[LocalMember.ManifestProperty] = member.Id.ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary>Marks a grain class as placed by <see cref="HomeMemberPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class HomeMemberPlacementAttribute() : Orleans.Placement.PlacementAttribute(HomeMemberPlacement.Instance);
