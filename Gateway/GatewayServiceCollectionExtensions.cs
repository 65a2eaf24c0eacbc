using Coordinator.Gateway.Grpc;
using Coordinator.Gateway.Http;
using Coordinator.Gateway.Services;
using Coordinator.Gateway.Watch;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Hosting;

namespace Coordinator.Gateway;

public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Registers the gateway's services, method table and HTTP endpoints. The host registers the
    /// <see cref="ICoordinatorNode"/> itself. Extra <see cref="IGrpcService"/>s registered after this call
    /// add to (or replace entries of) the method table.
    /// </summary>
    public static IServiceCollection AddCoordinatorGateway(this IServiceCollection services, GatewayOptions? options = null)
    {
        services.AddSingleton(options ?? new GatewayOptions());
        services.AddSingleton<ResponseHeaderFactory>();
        services.AddSingleton<RaftProposer>();

        // Order matters: placeholders first, real services replace them.
        services.AddSingleton<IGrpcService, PlannedServices>();
        services.AddSingleton<IGrpcService, KvService>();
        services.AddSingleton<IGrpcService, LeaseService>();
        services.AddSingleton<IGrpcService, ClusterService>();
        services.AddSingleton<IGrpcService, MaintenanceService>();
        services.AddSingleton<IGrpcService, WatchService>();
        services.AddSingleton<IGrpcService, LockService>();
        services.AddSingleton<IGrpcService, ElectionService>();

        // The host may register its own hub (or options) first.
        services.TryAddSingleton(WatchHubOptions.Default);
        services.TryAddSingleton(provider =>
        {
            var node = provider.GetRequiredService<ICoordinatorNode>();
            return new WatchHub(node.Store, node.Events, provider.GetRequiredService<WatchHubOptions>(),
                provider.GetService<ILoggerFactory>()?.CreateLogger<WatchHub>());
        });

        services.AddSingleton(provider =>
        {
            var table = new GrpcMethodTable();
            foreach (var service in provider.GetServices<IGrpcService>()) service.Register(table);
            return table;
        });
        services.AddSingleton<GrpcDispatcher>();

        services.AddSingleton<LeaderChangeCounter>();
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<LeaderChangeCounter>());
        services.AddSingleton<HealthEndpoint>();
        services.AddSingleton<VersionEndpoint>();
        services.AddSingleton<MetricsEndpoint>();
        return services;
    }
}
