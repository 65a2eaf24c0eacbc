using Orleans.Runtime;

namespace Coordinator.Orleans.Clustering;

/// <summary>The membership table's keys: one version key and one key per silo, all under one prefix so that a
/// single Range returns rows and version from one revision.</summary>
internal sealed class MembershipKeys(string rootPrefix, string clusterId)
{
    /// <summary><c>{root}/{clusterId}/membership/</c></summary>
    public string Prefix { get; } = KeyLayout.Area(rootPrefix, clusterId, "membership");

    /// <summary>The table version (decimal text); its mod_revision is the version's etag.</summary>
    public string Version => Prefix + "version";

    /// <summary>Prefix of the silo rows.</summary>
    public string Silos => Prefix + "silos/";

    public string Silo(SiloAddress address) => Silos + KeyLayout.Escape(address.ToParsableString());
}
