using Coordinator.Grains.Replicas;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Coordinator.Replicas.Tests.Harness;

/// <summary>
/// Every TestingHost silo is one member: "Primary" is member 1, "Secondary_N" member N + 1 (a restarted silo keeps
/// its name, so it comes back as the same member). Its logs are on that member's disk of the cluster's
/// <see cref="ReplicaWorld"/>; failure detection is tuned to seconds.
/// </summary>
public sealed class MemberSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder silo)
    {
        var clusterId = silo.Configuration["Orleans:ClusterId"] ?? throw new InvalidOperationException("no cluster id");
        var member = MemberOf(silo.Configuration["Orleans:Name"] ?? throw new InvalidOperationException("no silo name"));
        var world = ReplicaWorld.For(clusterId);
        silo.Services.AddSingleton(world.Catalog);
        silo.AddReplicaGrains(member, _ => new GatedReplicaLogProvider(new MemoryReplicaLogProvider(world.Disk(member)), world.Gate(member)),
            o => o.CreateStateMachine = world.NewStateMachine);
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 2;
            o.NumVotesForDeathDeclaration = 1;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(3);
        });
    }

    public static ulong MemberOf(string siloName) =>
        siloName == "Primary" ? 1 : ulong.Parse(siloName["Secondary_".Length..]) + 1;
}
