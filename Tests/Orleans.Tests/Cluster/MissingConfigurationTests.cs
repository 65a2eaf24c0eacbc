using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;
using Orleans.Runtime;

namespace Coordinator.Orleans.Tests.Cluster;

/// <summary>A silo or client whose Coordinator settings are missing or wrong refuses to start, with a message that
/// names the provider and the setting (not a connection error later).</summary>
public sealed class MissingConfigurationTests
{
    private static async Task<OrleansConfigurationException> StartSilo(Action<ISiloBuilder> configure)
    {
        using var host = new HostBuilder()
            .UseOrleans(silo => { silo.UseLocalhostClustering(); configure(silo); })
            .Build();
        return await Assert.ThrowsAsync<OrleansConfigurationException>(() => host.StartAsync());
    }

    [Fact]
    public async Task Clustering_without_endpoints()
    {
        using var host = new HostBuilder().UseOrleans(silo => silo.UseCoordinatorClustering(new ConfigurationBuilder().Build())).Build();
        var e = await Assert.ThrowsAsync<OrleansConfigurationException>(() => host.StartAsync());
        Assert.Contains("Coordinator clustering", e.Message);
        Assert.Contains("Client.Endpoints", e.Message);
    }

    [Fact]
    public async Task Grain_storage_without_endpoints_names_the_provider()
    {
        var e = await StartSilo(s => s.AddCoordinatorGrainStorage("profiles", o => o.RootPrefix = "/apps"));
        Assert.Contains("\"profiles\"", e.Message);
        Assert.Contains("Client.Endpoints", e.Message);
    }

    [Fact]
    public async Task A_root_prefix_that_is_not_a_key_prefix()
    {
        var e = await StartSilo(s => s.UseCoordinatorReminderService(o => { o.Client.Endpoints.Add("127.0.0.1:1"); o.RootPrefix = "orleans"; }));
        Assert.Contains("RootPrefix", e.Message);
    }

    [Fact]
    public async Task Streams_with_nothing_to_watch()
    {
        var e = await StartSilo(s => s.AddCoordinatorStreams("keys", o => o.Client.Endpoints.Add("127.0.0.1:1")));
        Assert.Contains("Prefixes is empty", e.Message);
    }

    [Fact]
    public async Task Recipes_without_endpoints()
    {
        var e = await StartSilo(s => s.AddCoordinatorRecipes(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["SessionTimeToLive"] = "00:00:10" }).Build()));
        Assert.Contains("Coordinator recipes", e.Message);
    }
}
