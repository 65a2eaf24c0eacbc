using System.Net;
using System.Net.Sockets;
using Coordinator.Silo.Configuration;
using Coordinator.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;

namespace Coordinator.Silo.Orleans;

/// <summary>
/// The member's Orleans silo, in the same host as the client listener. Its cluster is the etcd cluster (the
/// cluster id names it), its membership table is <see cref="ReplicatedMembershipTable"/> in the root Raft group,
/// and it joins only once that group serves (<see cref="RaftGroupGate"/>).
/// </summary>
internal static class MemberSiloExtensions
{
    /// <summary>Orleans' silo hosted service; replaced by <see cref="BackgroundSiloStart"/> around it.</summary>
    private const string SiloHostedServiceName = "Orleans.Hosting.SiloHostedService";

    public static void AddMemberSilo(this WebApplicationBuilder builder, CoordinatorConfig config, ReplicaHost host, ILoggerFactory loggerFactory)
    {
        var silo = config.Silo;
        var address = silo.AdvertiseAddress;
        var siloPort = silo.SiloPort != 0 ? silo.SiloPort : FreePort(address);
        var gatewayPort = silo.GatewayPort != 0 ? silo.GatewayPort : FreePort(address);
        builder.UseOrleans(orleans =>
        {
            orleans.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = host.ClusterId.ToString("x16");
                o.ServiceId = "coordinator-" + host.ClusterId.ToString("x16");
            });
            orleans.Configure<SiloOptions>(o => o.SiloName = config.Name);
            orleans.ConfigureEndpoints(address, siloPort, gatewayPort);
            var table = new ReplicatedMembershipTable(host);
            orleans.Services.AddSingleton<IMembershipTable>(table);
            orleans.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new RaftGroupGate(host, table, config.Name, loggerFactory.CreateLogger("silo")));
            if (silo.Dashboard) orleans.AddDashboard();
        });
        var services = builder.Services;
        var original = services.SingleOrDefault(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.FullName == SiloHostedServiceName)
            ?? throw new InvalidOperationException($"{SiloHostedServiceName} is not registered: this Orleans version hosts silos differently");
        services.Remove(original);
        var siloType = original.ImplementationType!;
        services.AddSingleton(sp => new BackgroundSiloStart(() => (IHostedService)ActivatorUtilities.CreateInstance(sp, siloType),
            sp.GetRequiredService<IHostApplicationLifetime>(), loggerFactory.CreateLogger("silo")));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<BackgroundSiloStart>());
    }

    public static void MapMemberSilo(this WebApplication app, CoordinatorConfig config)
    {
        if (config.Silo.Dashboard) app.MapOrleansDashboard("/dashboard");
    }

    /// <summary>A port free on the address now (the OS's choice): the silo publishes it in the membership table.</summary>
    private static int FreePort(IPAddress address)
    {
        using var probe = new TcpListener(address, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
