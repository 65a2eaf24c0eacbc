using Coordinator.Tests.Integration;

namespace Coordinator.Client.Tests.Fixtures;

/// <summary>One real `coordinator` member for the class's tests.</summary>
public sealed class CoordinatorServerFixture : IServerFixture, IAsyncLifetime
{
    private readonly TestCluster _cluster = new(1);

    public IReadOnlyList<string> Endpoints => _cluster.Members.Select(m => m.Endpoint).ToArray();

    public Task InitializeAsync() => _cluster.StartAsync();

    public Task DisposeAsync()
    {
        _cluster.Dispose();
        return Task.CompletedTask;
    }
}
