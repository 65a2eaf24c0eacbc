using Coordinator.Client;
using Coordinator.Recipes;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

public static class CoordinatorHealthCheckBuilderExtensions
{
    /// <summary>Adds <see cref="CoordinatorHealthCheck"/> using the container's <see cref="CoordinatorClient"/>.</summary>
    public static IHealthChecksBuilder AddCoordinator(this IHealthChecksBuilder builder, string name = "coordinator",
        HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null) =>
        builder.Add(new HealthCheckRegistration(name,
            sp => new CoordinatorHealthCheck(sp.GetRequiredService<CoordinatorClient>(), timeout ?? TimeSpan.FromSeconds(2)),
            failureStatus, tags));
}
