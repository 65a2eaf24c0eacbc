using Coordinator.Client;
using Coordinator.Client.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Coordinator.Recipes.Tests;

[Trait("Category", "Integration")]
public sealed class ConfigurationTests(CoordinatorServerFixture server) : IClassFixture<CoordinatorServerFixture>
{
    public sealed class DbOptions
    {
        public int Timeout { get; set; }
        public string Host { get; set; } = "";
    }

    [Fact]
    public async Task Loads_the_prefix_and_OptionsMonitor_sees_a_changed_key()
    {
        using var client = server.NewClient();
        var prefix = $"/config/{Servers.UniqueName("app")}/";
        await client.PutAsync(prefix + "Db/Timeout", "30");
        await client.PutAsync(prefix + "Db/Host", "db1");
        await client.PutAsync(prefix + "Name", "orders");

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Coordinator:Endpoints:0"] = server.Endpoints[0] })
            .AddCoordinator(prefix)
            .Build();
        using var _ = configuration as IDisposable;
        Assert.Equal("30", configuration["Db:Timeout"]);
        Assert.Equal("orders", configuration["Name"]);

        await using var services = new ServiceCollection().Configure<DbOptions>(configuration.GetSection("Db")).BuildServiceProvider();
        var monitor = services.GetRequiredService<IOptionsMonitor<DbOptions>>();
        Assert.Equal(30, monitor.CurrentValue.Timeout);
        var changed = new TaskCompletionSource<DbOptions>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = monitor.OnChange(o => { if (o.Timeout == 45) changed.TrySetResult(o); });

        await client.PutAsync(prefix + "Db/Timeout", "45");
        var seen = await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("db1", seen.Host);

        await client.DeleteAsync(prefix + "Name");
        await WaitUntil(() => configuration["Name"] is null);
    }

    [Fact]
    public async Task A_multi_key_transaction_is_one_reload()
    {
        using var client = server.NewClient();
        var prefix = $"/config/{Servers.UniqueName("app")}/";
        await client.PutAsync(prefix + "A", "0");
        var configuration = new ConfigurationBuilder().AddCoordinator(prefix, o => o.Client = client).Build();
        using var _ = configuration as IDisposable;
        var reloads = new List<(string? A, string? B, string? C)>();
        using var registration = ChangeToken.OnChange(configuration.GetReloadToken,
            () => { lock (reloads) reloads.Add((configuration["A"], configuration["B"], configuration["C"])); });

        await client.Txn().Then(Op.Put(prefix + "A", "1"), Op.Put(prefix + "B", "1"), Op.Put(prefix + "C", "1")).CommitAsync();
        await client.Txn().Then(Op.Put(prefix + "A", "2"), Op.Delete(prefix + "B"), Op.Put(prefix + "C", "2")).CommitAsync();
        await client.PutAsync(prefix + "A", "3");
        await WaitUntil(() => configuration["A"] == "3");
        await Task.Delay(200); // nothing more may arrive
        lock (reloads)
            Assert.Equal(new (string?, string?, string?)[] { ("1", "1", "1"), ("2", null, "2"), ("3", null, "2") }, reloads);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not reached");
            await Task.Delay(20);
        }
    }
}
