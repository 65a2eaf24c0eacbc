using Coordinator.Client;
using Coordinator.Client.Tests.Fixtures;

namespace Coordinator.Recipes.Tests;

/// <summary>Helpers over the shared server fixtures.</summary>
internal static class Servers
{
    public static string EndpointList(this IServerFixture server) => string.Join(",", server.Endpoints);

    /// <summary>A name no other test uses (tests of one class share a server).</summary>
    public static string UniqueName(string what) => $"{what}-{Guid.NewGuid():N}"[..(what.Length + 9)];

    public static CoordinatorClient NewClient(this IServerFixture server) => server.CreateClient();
}
