using Coordinator.Gateway.Auth;
using Coordinator.Gateway.Grpc;
using Coordinator.Gateway.Health;
using Coordinator.Gateway.Http;
using Coordinator.Gateway.Services;
using Coordinator.Gateway.Watch;
using Grpc.HealthCheck;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Hosting;

namespace Coordinator.Gateway;

public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Registers Grpc.AspNetCore with the gateway's services, interceptor, health and reflection, and the HTTP
    /// endpoints. The host registers the <see cref="ICoordinatorNode"/> itself (and <see cref="IClusterAdmin"/>
    /// when it has one). Services and the interceptor are singletons: nothing is constructed per call.
    /// </summary>
    public static IServiceCollection AddCoordinatorGateway(this IServiceCollection services, GatewayOptions? options = null)
    {
        options ??= new GatewayOptions();
        services.AddSingleton(options);
        services.AddSingleton(options.Auth);
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<ITokenProvider>(provider => options.Auth.TokenKind == "jwt"
            ? new JwtTokenProvider(provider.GetRequiredService<ICoordinatorNode>(), options.Auth.Jwt!)
            : new SimpleTokenProvider(provider.GetRequiredService<ICoordinatorNode>(), options.Auth));
        services.AddSingleton<AuthGate>();
        services.AddSingleton<AuthInterceptor>();
        services.AddSingleton<ResponseHeaderFactory>();
        services.AddSingleton<RaftProposer>();

        services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.MaxRequestBytes;
            // etcd sends responses of any size (its send limit is MaxInt32).
            grpc.MaxSendMessageSize = null;
            grpc.Interceptors.Add<EtcdStatusInterceptor>();
            grpc.Interceptors.Add<AuthInterceptor>(); // inside: its refusals get etcd's statuses
        });
        services.AddGrpcReflection();
        services.AddSingleton<EtcdStatusInterceptor>();
        services.AddSingleton<KvService>();
        services.AddSingleton<WatchService>();
        services.AddSingleton<LeaseService>();
        services.AddSingleton<ClusterService>();
        services.AddSingleton<MaintenanceService>();
        services.AddSingleton<AuthService>();
        services.AddSingleton<LockService>();
        services.AddSingleton<ElectionService>();
        services.AddSingleton<HealthServiceImpl>();
        services.AddSingleton<HealthService>();
        services.AddSingleton<LeaderHealthPublisher>();
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<LeaderHealthPublisher>());

        // The host may register its own hub (or options) first.
        services.TryAddSingleton(WatchHubOptions.Default);
        services.TryAddSingleton(provider =>
        {
            var node = provider.GetRequiredService<ICoordinatorNode>();
            return new WatchHub(node.Store, node.Events, provider.GetRequiredService<WatchHubOptions>(),
                provider.GetService<ILoggerFactory>()?.CreateLogger<WatchHub>());
        });

        services.AddSingleton<LeaderChangeCounter>();
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<LeaderChangeCounter>());
        services.AddSingleton<HealthEndpoint>();
        services.AddSingleton<VersionEndpoint>();
        services.AddSingleton<MetricsEndpoint>();
        return services;
    }
}
