namespace Coordinator.Client.Tests.Fixtures;

/// <summary>A running etcd-API server the shared client tests talk to.</summary>
public interface IServerFixture
{
    /// <summary>Client endpoints, "127.0.0.1:port".</summary>
    IReadOnlyList<string> Endpoints { get; }

    CoordinatorClient CreateClient(Action<CoordinatorClientOptions>? configure = null)
    {
        var options = new CoordinatorClientOptions { Endpoints = Endpoints.ToList(), RequestTimeout = TimeSpan.FromSeconds(10) };
        configure?.Invoke(options);
        return new CoordinatorClient(options);
    }
}
