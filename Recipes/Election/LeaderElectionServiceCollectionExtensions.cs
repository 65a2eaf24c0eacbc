using Coordinator.Client;
using Coordinator.Recipes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class LeaderElectionServiceCollectionExtensions
{
    /// <summary>Runs a <see cref="LeaderElectionService"/> for election <paramref name="name"/> as a hosted service.
    /// Needs a <see cref="CoordinatorClient"/> in the container (<c>AddCoordinatorClient</c>). Options are named
    /// by the election, so several elections can run side by side.</summary>
    public static IServiceCollection AddLeaderElection(this IServiceCollection services, string name, Action<LeaderElectionOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var options = services.AddOptions<LeaderElectionOptions>(name);
        if (configure is not null) options.Configure(configure);
        services.AddSingleton<IHostedService>(sp => new LeaderElectionService(
            sp.GetRequiredService<CoordinatorClient>(),
            name,
            sp.GetRequiredService<IOptionsMonitor<LeaderElectionOptions>>().Get(name),
            sp.GetService<ILogger<LeaderElectionService>>()));
        return services;
    }
}
