using Coordinator.Client;

namespace Coordinator.Orleans.Coordination;

/// <summary>Options of the locks and elections offered to grains. Lock and election names are used exactly as
/// given (etcd's concurrency layout), so a grain's lock also excludes <c>etcdctl lock NAME</c> and any etcd client.</summary>
public sealed class CoordinatorRecipesOptions
{
    /// <summary>The client's options, passed through unchanged. Bound from the "Client" subsection.</summary>
    public CoordinatorClientOptions Client { get; set; } = new();

    /// <summary>Lease TTL of the sessions behind locks and elections: how long a lock outlives a silo that died
    /// holding it.</summary>
    public TimeSpan SessionTimeToLive { get; set; } = TimeSpan.FromSeconds(15);
}
