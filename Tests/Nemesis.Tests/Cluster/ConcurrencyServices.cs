using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using V3electionpb;
using V3lockpb;

namespace Coordinator.Tests.Nemesis;

/// <summary>etcd's v3lock and v3election services (which the .NET client leaves to its recipes) through the
/// generated clients over one member.</summary>
internal sealed class ConcurrencyServices : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly V3lockpb.Lock.LockClient _lock;
    private readonly Election.ElectionClient _election;

    public ConcurrencyServices(string endpoint)
    {
        _channel = GrpcChannel.ForAddress("http://" + endpoint, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2), EnableMultipleHttp2Connections = true },
        });
        _lock = new V3lockpb.Lock.LockClient(_channel);
        _election = new Election.ElectionClient(_channel);
    }

    private static CallOptions Options(TimeSpan timeout, CancellationToken ct) => new(deadline: DateTime.UtcNow + timeout, cancellationToken: ct);

    public Task<LockResponse> LockAsync(string name, long lease, TimeSpan timeout, CancellationToken ct) =>
        _lock.LockAsync(new LockRequest { Name = ByteString.CopyFromUtf8(name), Lease = lease }, Options(timeout, ct)).ResponseAsync;

    public Task<UnlockResponse> UnlockAsync(ByteString key, TimeSpan timeout, CancellationToken ct) =>
        _lock.UnlockAsync(new UnlockRequest { Key = key }, Options(timeout, ct)).ResponseAsync;

    public Task<CampaignResponse> CampaignAsync(string name, long lease, string value, TimeSpan timeout, CancellationToken ct) =>
        _election.CampaignAsync(new CampaignRequest { Name = ByteString.CopyFromUtf8(name), Lease = lease, Value = ByteString.CopyFromUtf8(value) }, Options(timeout, ct)).ResponseAsync;

    public Task<ProclaimResponse> ProclaimAsync(LeaderKey leader, string value, TimeSpan timeout, CancellationToken ct) =>
        _election.ProclaimAsync(new ProclaimRequest { Leader = leader, Value = ByteString.CopyFromUtf8(value) }, Options(timeout, ct)).ResponseAsync;

    public Task<ResignResponse> ResignAsync(LeaderKey leader, TimeSpan timeout, CancellationToken ct) =>
        _election.ResignAsync(new ResignRequest { Leader = leader }, Options(timeout, ct)).ResponseAsync;

    public void Dispose() => _channel.Dispose();
}
