using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace Coordinator.Tests.Gateway;

/// <summary>Test-only methods: which connection a call arrived on, and a server stream of N messages. Shaped as
/// Grpc.Tools generates a service (a base with virtual methods and a BindService), so Grpc.AspNetCore maps it
/// beside the gateway's services and the gateway's interceptor wraps it too.</summary>
[BindServiceMethod(typeof(ProbeBase), nameof(BindService))]
public abstract class ProbeBase
{
    public const string ServiceName = "coordinator.test.Probe";
    public const string ConnectionPath = "/" + ServiceName + "/" + nameof(ConnectionId);
    public const string CountPath = "/" + ServiceName + "/" + nameof(CountTo);

    private static Marshaller<T> For<T>(MessageParser<T> parser) where T : class, IMessage<T> =>
        Marshallers.Create(m => m.ToByteArray(), parser.ParseFrom);

    public abstract Task<StatusResponse> ConnectionId(StatusRequest request, ServerCallContext context);

    public abstract Task CountTo(RangeRequest request, IServerStreamWriter<RangeResponse> responses, ServerCallContext context);

    public static void BindService(ServiceBinderBase binder, ProbeBase service)
    {
        binder.AddMethod(new Method<StatusRequest, StatusResponse>(MethodType.Unary, ServiceName, nameof(ConnectionId),
            For(StatusRequest.Parser), For(StatusResponse.Parser)), (UnaryServerMethod<StatusRequest, StatusResponse>?)null);
        binder.AddMethod(new Method<RangeRequest, RangeResponse>(MethodType.ServerStreaming, ServiceName, nameof(CountTo),
            For(RangeRequest.Parser), For(RangeResponse.Parser)), (ServerStreamingServerMethod<RangeRequest, RangeResponse>?)null);
    }
}

public sealed class ProbeService : ProbeBase
{
    public override Task<StatusResponse> ConnectionId(StatusRequest request, ServerCallContext context) =>
        Task.FromResult(new StatusResponse { Version = context.GetHttpContext().Connection.Id });

    public override async Task CountTo(RangeRequest request, IServerStreamWriter<RangeResponse> responses, ServerCallContext context)
    {
        for (var i = 1; i <= request.Limit; i++)
            await responses.WriteAsync(new RangeResponse { Count = i }, context.CancellationToken);
    }
}
