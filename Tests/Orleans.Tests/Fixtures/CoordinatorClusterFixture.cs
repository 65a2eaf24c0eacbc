using Coordinator.Client.Tests.Fixtures;
using Coordinator.Tests.Integration;

namespace Coordinator.Orleans.Tests.Fixtures;

/// <summary>A real 3-member Coordinator cluster (separate `coordinator` processes) shared by one collection.</summary>
public sealed class CoordinatorClusterFixture : IServerFixture, IAsyncLifetime
{
    private readonly TestCluster _cluster = new(3);

    public IReadOnlyList<string> Endpoints => _cluster.Members.Select(m => m.Endpoint).ToArray();

    public Task InitializeAsync() => _cluster.StartAsync();

    public Task DisposeAsync()
    {
        _cluster.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class CoordinatorCollection : ICollectionFixture<CoordinatorClusterFixture>
{
    public const string Name = "Coordinator cluster";
}

[CollectionDefinition(Name)]
public sealed class EtcdCollection : ICollectionFixture<EtcdServerFixture>
{
    public const string Name = "etcd 3.4";
}
