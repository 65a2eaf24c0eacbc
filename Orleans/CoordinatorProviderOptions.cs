using Coordinator.Client;

namespace Coordinator.Orleans;

/// <summary>What every Coordinator provider needs: where the store is and under which prefix its keys live.
/// Works against Coordinator and any etcd 3.4 cluster (the wire API through <see cref="CoordinatorClient"/>).</summary>
public abstract class CoordinatorProviderOptions
{
    /// <summary>The client's options, passed through unchanged (endpoints, timeouts, retries, and the TLS/auth
    /// options once the client has them). Bound from the "Client" subsection.</summary>
    public CoordinatorClientOptions Client { get; set; } = new();

    /// <summary>Root of every key the providers write; the layout below it is in Orleans/README.md.</summary>
    public string RootPrefix { get; set; } = "/orleans";
}
