namespace Coordinator.Client.Tests;

/// <summary>Multi-member clusters start several processes each: run those classes one after another so a
/// 2-core machine can elect leaders within the harness's timeout.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection
{
    public const string Name = "three-member clusters";
}
