using Coordinator.Orleans.Tests.Grains;
using Coordinator.Tests.Integration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Hosting;

namespace Coordinator.Orleans.Tests.Cluster;

/// <summary>The README's Orleans section, run as written: a silo host and a client host configured from a
/// "Coordinator" section, a grain persisted through them.</summary>
[Collection(Fixtures.CoordinatorCollection.Name)]
public sealed class ReadmeExampleTests(Fixtures.CoordinatorClusterFixture server)
{
    [Fact]
    public async Task The_readme_silo_and_client_work()
    {
        var root = Fixtures.Stores.NewRoot();
        var settings = new Dictionary<string, string?> { ["Coordinator:RootPrefix"] = root };
        for (var i = 0; i < server.Endpoints.Count; i++) settings[$"Coordinator:Client:Endpoints:{i}"] = server.Endpoints[i];
        var ports = FreePorts.Take(2);

        // --- README: silo ---
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.UseOrleans(silo =>
        {
            var section = builder.Configuration.GetSection("Coordinator"); // {"Client": {"Endpoints": ["127.0.0.1:2379"]}}
            silo.UseCoordinatorClustering(section)
                .AddCoordinatorGrainStorage("store", section)
                .AddCoordinatorGrainStorage("PubSubStore", section)        // stream subscriptions
                .UseCoordinatorReminderService(section)
                .AddCoordinatorStreams("keys", section, o => o.Prefixes.Add("/config/myapp/"))
                .AddCoordinatorRecipes(section);
            silo.ConfigureEndpoints(ports[0], ports[1]);
        });
        using var siloHost = builder.Build();
        await siloHost.StartAsync();

        // --- README: client ---
        var clientBuilder = Host.CreateApplicationBuilder();
        clientBuilder.Configuration.AddInMemoryCollection(settings);
        clientBuilder.UseOrleansClient(client => client.UseCoordinatorClustering(clientBuilder.Configuration.GetSection("Coordinator")));
        using var clientHost = clientBuilder.Build();
        await clientHost.StartAsync();

        var counter = clientHost.Services.GetRequiredService<IClusterClient>().GetGrain<ICounterGrain>("readme");
        Assert.Equal(1, await counter.Increment());
        Assert.Equal(2, await counter.Increment());

        await clientHost.StopAsync();
        await siloHost.StopAsync();
        await using var store = new Coordinator.Client.CoordinatorClient(Fixtures.Stores.ClientOptions(server));
        var keys = (await store.GetPrefixAsync(root + "/")).Kvs.Select(kv => kv.Key.ToStringUtf8()).ToList();
        Assert.Contains(keys, k => k.Contains("/membership/version"));
        Assert.Contains(keys, k => k.Contains("/grains/store/counter/"));
        await store.DeleteRangeAsync(Coordinator.Client.KeyRange.Prefix(root + "/"));
    }
}
