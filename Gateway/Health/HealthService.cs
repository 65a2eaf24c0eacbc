using Coordinator.Gateway.Grpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using HealthProto = global::Grpc.Health.V1.Health;

namespace Coordinator.Gateway.Health;

/// <summary>
/// grpc.health.v1.Health as served: Grpc.HealthCheck's <see cref="HealthServiceImpl"/> (the statuses
/// <see cref="LeaderHealthPublisher"/> sets) bound through <see cref="ParsingServiceBinder"/>, so an unparsable
/// request answers INTERNAL "grpc: error unmarshalling request: ..." as etcd's grpc-go health server does.
/// </summary>
[BindServiceMethod(typeof(HealthService), nameof(BindService))]
public sealed class HealthService(HealthServiceImpl statuses) : HealthProto.HealthBase
{
    public static void BindService(ServiceBinderBase binder, HealthProto.HealthBase service) =>
        HealthProto.BindService(new ParsingServiceBinder(binder), service);

    public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context) =>
        statuses.Check(request, context);

    public override Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context) =>
        statuses.Watch(request, responseStream, context);
}
