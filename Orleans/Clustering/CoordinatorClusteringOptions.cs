namespace Coordinator.Orleans.Clustering;

/// <summary>Options of the membership table and gateway list provider. Keys live under
/// <c>{RootPrefix}/{ClusterId}/membership/</c>.</summary>
public sealed class CoordinatorClusteringOptions : CoordinatorProviderOptions
{
    /// <summary>How often UpdateIAmAlive re-reads and retries when another silo changed the same row between its
    /// read and its compare-and-swap (a suspicion vote, for example).</summary>
    public int IAmAliveRetries { get; set; } = 5;
}
