using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Gateway.Http.V2;

public static class V2EndpointRouteBuilderExtensions
{
    /// <summary>Registers the v2 API's services; the host registers <see cref="IV2Node"/> and <see cref="IClusterAdmin"/>.</summary>
    public static IServiceCollection AddCoordinatorV2(this IServiceCollection services)
    {
        services.AddSingleton<V2WatcherHub>();
        services.AddSingleton<V2KeysEndpoint>();
        services.AddSingleton<V2MembersEndpoint>();
        services.AddSingleton<V2MachinesEndpoint>();
        services.AddSingleton<V2StatsEndpoint>();
        services.AddSingleton<V2Access>();
        services.AddSingleton<V2AuthEndpoint>();
        return services;
    }

    /// <summary>etcd 3.4's v2 routes (served with --enable-v2): keys, members, machines, stats, auth. Every method reaches
    /// the handlers, which answer 405 with Allow as etcd does.</summary>
    public static IEndpointRouteBuilder MapCoordinatorV2(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        var keys = services.GetRequiredService<V2KeysEndpoint>();
        endpoints.Map(V2KeysEndpoint.Prefix, keys.HandleAsync);
        endpoints.Map(V2KeysEndpoint.Prefix + "/{**key}", keys.HandleAsync);
        var members = services.GetRequiredService<V2MembersEndpoint>();
        endpoints.Map(V2MembersEndpoint.Prefix, members.HandleAsync);
        endpoints.Map(V2MembersEndpoint.Prefix + "/{**id}", members.HandleAsync);
        endpoints.Map("/v2/machines", services.GetRequiredService<V2MachinesEndpoint>().HandleAsync);
        var stats = services.GetRequiredService<V2StatsEndpoint>();
        endpoints.Map("/v2/stats/self", stats.SelfAsync);
        endpoints.Map("/v2/stats/leader", stats.LeaderAsync);
        endpoints.Map("/v2/stats/store", stats.StoreAsync);
        var auth = services.GetRequiredService<V2AuthEndpoint>();
        endpoints.Map(V2AuthEndpoint.Prefix + "/enable", auth.EnableAsync);
        endpoints.Map(V2AuthEndpoint.Prefix + "/users", auth.UsersAsync);
        endpoints.Map(V2AuthEndpoint.Prefix + "/users/{**name}", auth.UsersAsync);
        endpoints.Map(V2AuthEndpoint.Prefix + "/roles", auth.RolesAsync);
        endpoints.Map(V2AuthEndpoint.Prefix + "/roles/{**name}", auth.RolesAsync);
        return endpoints;
    }
}
