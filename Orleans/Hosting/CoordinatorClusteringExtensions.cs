using Coordinator.Orleans.Clustering;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Messaging;

namespace Orleans.Hosting;

/// <summary>Membership in Coordinator or etcd, for silos (<c>UseCoordinatorClustering</c> on the silo builder) and
/// clients (the same name on the client builder, which only reads the gateways).</summary>
public static class CoordinatorClusteringExtensions
{
    public static ISiloBuilder UseCoordinatorClustering(this ISiloBuilder builder, Action<CoordinatorClusteringOptions> configure) =>
        builder.ConfigureServices(s => s.AddCoordinatorClustering(configure, null).AddSingleton<IMembershipTable>(sp => sp.GetRequiredService<CoordinatorMembershipTable>()));

    /// <summary>Binds the options from <paramref name="section"/> (RootPrefix, Client:Endpoints, ...).</summary>
    public static ISiloBuilder UseCoordinatorClustering(this ISiloBuilder builder, IConfiguration section) =>
        builder.ConfigureServices(s => s.AddCoordinatorClustering(null, section).AddSingleton<IMembershipTable>(sp => sp.GetRequiredService<CoordinatorMembershipTable>()));

    public static IClientBuilder UseCoordinatorClustering(this IClientBuilder builder, Action<CoordinatorClusteringOptions> configure) =>
        builder.ConfigureServices(s => s.AddCoordinatorClustering(configure, null).AddSingleton<IGatewayListProvider, CoordinatorGatewayListProvider>());

    public static IClientBuilder UseCoordinatorClustering(this IClientBuilder builder, IConfiguration section) =>
        builder.ConfigureServices(s => s.AddCoordinatorClustering(null, section).AddSingleton<IGatewayListProvider, CoordinatorGatewayListProvider>());

    private static IServiceCollection AddCoordinatorClustering(this IServiceCollection services, Action<CoordinatorClusteringOptions>? configure, IConfiguration? section)
    {
        services.AddProviderOptions(Options.DefaultName, "Coordinator clustering", configure, section);
        services.TryAddSingleton<CoordinatorMembershipTable>();
        return services;
    }
}
