using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using V3electionpb;
using V3lockpb;

namespace Coordinator.Tests.Nemesis;

/// <summary>Calls etcd's v3lock and v3election services (which the .NET client leaves to its recipes) with
/// Grpc.Net.Client over one member: unary methods described by hand from the protocol's messages.</summary>
internal sealed class ConcurrencyServices : IDisposable
{
    private static Method<TRequest, TResponse> Unary<TRequest, TResponse>(string service, string name, MessageParser<TResponse> parser)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse> =>
        new(MethodType.Unary, service, name,
            Marshallers.Create<TRequest>(r => r.ToByteArray(), _ => throw new NotSupportedException()),
            Marshallers.Create(_ => throw new NotSupportedException(), parser.ParseFrom));

    private static readonly Method<LockRequest, LockResponse> LockMethod = Unary<LockRequest, LockResponse>("v3lockpb.Lock", "Lock", LockResponse.Parser);
    private static readonly Method<UnlockRequest, UnlockResponse> UnlockMethod = Unary<UnlockRequest, UnlockResponse>("v3lockpb.Lock", "Unlock", UnlockResponse.Parser);
    private static readonly Method<CampaignRequest, CampaignResponse> CampaignMethod = Unary<CampaignRequest, CampaignResponse>("v3electionpb.Election", "Campaign", CampaignResponse.Parser);
    private static readonly Method<ProclaimRequest, ProclaimResponse> ProclaimMethod = Unary<ProclaimRequest, ProclaimResponse>("v3electionpb.Election", "Proclaim", ProclaimResponse.Parser);
    private static readonly Method<ResignRequest, ResignResponse> ResignMethod = Unary<ResignRequest, ResignResponse>("v3electionpb.Election", "Resign", ResignResponse.Parser);

    private readonly GrpcChannel _channel;
    private readonly CallInvoker _invoker;

    public ConcurrencyServices(string endpoint)
    {
        _channel = GrpcChannel.ForAddress("http://" + endpoint, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2), EnableMultipleHttp2Connections = true },
        });
        _invoker = _channel.CreateCallInvoker();
    }

    private Task<TResponse> CallAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, TimeSpan timeout, CancellationToken ct)
        where TRequest : class where TResponse : class =>
        _invoker.AsyncUnaryCall(method, null, new CallOptions(deadline: DateTime.UtcNow + timeout, cancellationToken: ct), request).ResponseAsync;

    public Task<LockResponse> LockAsync(string name, long lease, TimeSpan timeout, CancellationToken ct) =>
        CallAsync(LockMethod, new LockRequest { Name = ByteString.CopyFromUtf8(name), Lease = lease }, timeout, ct);

    public Task<UnlockResponse> UnlockAsync(ByteString key, TimeSpan timeout, CancellationToken ct) =>
        CallAsync(UnlockMethod, new UnlockRequest { Key = key }, timeout, ct);

    public Task<CampaignResponse> CampaignAsync(string name, long lease, string value, TimeSpan timeout, CancellationToken ct) =>
        CallAsync(CampaignMethod, new CampaignRequest { Name = ByteString.CopyFromUtf8(name), Lease = lease, Value = ByteString.CopyFromUtf8(value) }, timeout, ct);

    public Task<ProclaimResponse> ProclaimAsync(LeaderKey leader, string value, TimeSpan timeout, CancellationToken ct) =>
        CallAsync(ProclaimMethod, new ProclaimRequest { Leader = leader, Value = ByteString.CopyFromUtf8(value) }, timeout, ct);

    public Task<ResignResponse> ResignAsync(LeaderKey leader, TimeSpan timeout, CancellationToken ct) =>
        CallAsync(ResignMethod, new ResignRequest { Leader = leader }, timeout, ct);

    public void Dispose() => _channel.Dispose();
}
