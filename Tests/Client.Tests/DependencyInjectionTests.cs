using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Client.Tests;

public sealed class DependencyInjectionTests
{
    [Fact]
    public void AddCoordinatorClient_binds_the_Coordinator_configuration_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Coordinator:Endpoints:0"] = "127.0.0.1:1111",
            ["Coordinator:Endpoints:1"] = "http://127.0.0.1:2222",
            ["Coordinator:RequestTimeout"] = "00:00:03",
            ["Coordinator:Retry:MaxAttempts"] = "4",
        }).Build();
        using var provider = new ServiceCollection().AddCoordinatorClient(configuration).BuildServiceProvider();

        var client = provider.GetRequiredService<CoordinatorClient>();
        Assert.Same(client, provider.GetRequiredService<CoordinatorClient>());
        Assert.Equal(new[] { "127.0.0.1:1111", "127.0.0.1:2222" }, client.Endpoints.Select(u => u.Authority));
        Assert.Equal(TimeSpan.FromSeconds(3), client.Options.RequestTimeout);
        Assert.Equal(4, client.Options.Retry.MaxAttempts);
    }

    [Fact]
    public void AddCoordinatorClient_with_a_delegate_configures_the_options()
    {
        using var provider = new ServiceCollection()
            .AddCoordinatorClient(o => o.Endpoints.Add("10.0.0.1:2379"))
            .BuildServiceProvider();
        Assert.Equal("10.0.0.1:2379", provider.GetRequiredService<CoordinatorClient>().Endpoints.Single().Authority);
    }
}
