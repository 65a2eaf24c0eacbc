using Coordinator.Gateway.Grpc;
using Etcdserverpb;

namespace Coordinator.Tests.Gateway;

/// <summary>Test-only methods: which connection a call arrived on, and a server stream of N messages.</summary>
public sealed class ProbeService : IGrpcService
{
    public const string ConnectionPath = "/coordinator.test.Probe/Connection";
    public const string CountPath = "/coordinator.test.Probe/Count";

    public void Register(GrpcMethodTable table)
    {
        table.Unary<StatusRequest, StatusResponse>(ConnectionPath, StatusRequest.Parser,
            (_, call) => ValueTask.FromResult(new StatusResponse { Version = call.HttpContext.Connection.Id }));
        table.ServerStreaming<RangeRequest, RangeResponse>(CountPath, RangeRequest.Parser, async (request, responses, call) =>
        {
            for (var i = 1; i <= request.Limit; i++)
                await responses.WriteAsync(new RangeResponse { Count = i }, call.CancellationToken);
        });
    }
}
