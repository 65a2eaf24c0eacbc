using Coordinator.Client;
using Coordinator.Orleans.Clustering;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Coordinator.Orleans.Tests.Cluster;

/// <summary>A fresh 3-silo TestingHost cluster on the Coordinator providers, its state under its own root.</summary>
internal sealed class OrleansClusterOnStore : IAsyncDisposable
{
    public const string WatchedNamespace = Grains.KeyWatcherGrain.StreamNamespace;

    private readonly Client.Tests.Fixtures.IServerFixture _server;

    private OrleansClusterOnStore(Client.Tests.Fixtures.IServerFixture server, TestCluster cluster, string root, string watchedPrefix)
    {
        _server = server;
        Cluster = cluster;
        Root = root;
        WatchedPrefix = watchedPrefix;
        Store = new CoordinatorClient(Fixtures.Stores.ClientOptions(server));
    }

    public TestCluster Cluster { get; }
    public string Root { get; }
    public string WatchedPrefix { get; }
    public CoordinatorClient Store { get; }
    public string ClusterId => Cluster.Options.ClusterId;

    public static async Task<OrleansClusterOnStore> StartAsync(Client.Tests.Fixtures.IServerFixture server)
    {
        var root = Fixtures.Stores.NewRoot();
        var watched = root + "/watched/";
        var settings = new Dictionary<string, string?>
        {
            ["Coordinator:RootPrefix"] = root,
            ["Streams:RootPrefix"] = root,
            ["Streams:Namespace"] = WatchedNamespace,
            ["Streams:Prefixes:0"] = watched,
            ["Streams:QueueCount"] = "1",
        };
        for (var i = 0; i < server.Endpoints.Count; i++)
        {
            settings[$"Coordinator:Client:Endpoints:{i}"] = server.Endpoints[i];
            settings[$"Streams:Client:Endpoints:{i}"] = server.Endpoints[i];
        }
        var builder = new TestClusterBuilder(3);
        builder.Options.UseTestClusterMembership = false;
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(settings));
        builder.AddSiloBuilderConfigurator<SiloOnCoordinator>();
        builder.AddClientBuilderConfigurator<ClientOnCoordinator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new OrleansClusterOnStore(server, cluster, root, watched);
    }

    /// <summary>The membership rows as the store holds them.</summary>
    public async Task<MembershipTableData> MembershipAsync()
    {
        await using var table = Fixtures.Stores.MembershipTable(_server, Root, ClusterId);
        return await table.ReadAll();
    }

    /// <summary>Waits until the store's table says <paramref name="silo"/> is dead and the surviving silos agree.</summary>
    public async Task WaitUntilDeclaredDeadAsync(SiloAddress silo, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var row = (await MembershipAsync()).TryGet(silo);
            var hosts = await CallAsync(() => Cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true));
            if (row?.Item1.Status == SiloStatus.Dead && !hosts.ContainsKey(silo)) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{silo} not declared dead within {within}: row {row?.Item1.Status}, active hosts {string.Join(",", hosts.Keys)}");
            await Task.Delay(250);
        }
    }

    /// <summary>A call from the test's Orleans client, retried while the client still routes through the gateway of
    /// a silo that was just killed (until its gateway list refreshes, as any Orleans client app would retry).</summary>
    public static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try { return await call(); }
            catch (Exception e) when (DateTime.UtcNow < deadline &&
                e is global::Orleans.Runtime.Messaging.ConnectionFailedException or SiloUnavailableException or OrleansMessageRejectionException or TimeoutException)
            {
                await Task.Delay(200);
            }
        }
    }

    public SiloHandle SiloAt(string parsableAddress) =>
        Cluster.Silos.Single(s => s.SiloAddress.ToParsableString() == parsableAddress);

    public async ValueTask DisposeAsync()
    {
        try { await Cluster.StopAllSilosAsync(); } catch { }
        await Cluster.DisposeAsync();
        await Store.DeleteRangeAsync(KeyRange.Prefix(Root + "/"));
        await Store.DisposeAsync();
    }
}
