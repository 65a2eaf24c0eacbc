using Coordinator.Client;
using Coordinator.Client.Tests.Fixtures;
using Coordinator.Orleans.Clustering;
using Coordinator.Orleans.Reminders;
using Coordinator.Orleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Coordinator.Orleans.Tests.Fixtures;

/// <summary>Providers built directly (outside a silo) against a fixture's server, each under a fresh root so
/// tests never see each other's keys.</summary>
internal static class Stores
{
    private static readonly IServiceProvider Serialization = new ServiceCollection().AddSerializer().BuildServiceProvider();

    public static string NewRoot() => "/orleans-test-" + Guid.NewGuid().ToString("N")[..8];

    public static CoordinatorClientOptions ClientOptions(IServerFixture server) =>
        new() { Endpoints = server.Endpoints.ToList(), RequestTimeout = TimeSpan.FromSeconds(10) };

    public static CoordinatorMembershipTable MembershipTable(IServerFixture server, string root, string clusterId) =>
        new(Options.Create(new CoordinatorClusteringOptions { Client = ClientOptions(server), RootPrefix = root }),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "svc" }),
            NullLogger<CoordinatorMembershipTable>.Instance);

    public static CoordinatorReminderTable ReminderTable(IServerFixture server, string root, string serviceId = "svc") =>
        new(Options.Create(new CoordinatorReminderTableOptions { Client = ClientOptions(server), RootPrefix = root }),
            Options.Create(new ClusterOptions { ClusterId = "c", ServiceId = serviceId }));

    public static CoordinatorGrainStorage GrainStorage(IServerFixture server, string root, IGrainStorageSerializer? serializer = null,
        bool deleteStateOnClear = false, string name = "store") =>
        new(name,
            new CoordinatorGrainStorageOptions
            {
                Client = ClientOptions(server), RootPrefix = root, DeleteStateOnClear = deleteStateOnClear,
                GrainStorageSerializer = serializer ?? new SystemTextJsonGrainStorageSerializer(Options.Create(new SystemTextJsonGrainStorageSerializerOptions())),
            },
            Options.Create(new ClusterOptions { ClusterId = "c", ServiceId = "svc" }),
            Serialization.GetRequiredService<IActivatorProvider>(),
            NullLogger<CoordinatorGrainStorage>.Instance);
}
