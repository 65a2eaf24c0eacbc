using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.Extensions.Hosting;

namespace Coordinator.Gateway.Health;

/// <summary>
/// Keeps <c>grpc.health.v1.Health</c> for service "" (the whole server, as etcd reports it) SERVING while the
/// member knows a leader and NOT_SERVING otherwise. The node has no leader-change event, so this samples it
/// every <see cref="GatewayOptions.LeaderSampleInterval"/>; Health/Watch callers see each change.
/// </summary>
public sealed class LeaderHealthPublisher(ICoordinatorNode node, HealthServiceImpl health, GatewayOptions options) : BackgroundService
{
    public const string WholeServer = "";

    /// <summary>Publishes the current state; public so tests can drive it.</summary>
    public void Sample() => health.SetStatus(WholeServer,
        node.LeaderId != 0 ? HealthCheckResponse.Types.ServingStatus.Serving : HealthCheckResponse.Types.ServingStatus.NotServing);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.LeaderSampleInterval);
        do Sample();
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
