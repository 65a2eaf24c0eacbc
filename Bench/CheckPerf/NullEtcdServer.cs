using System.Net;
using Etcdserverpb;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Coordinator.Bench.CheckPerf;

/// <summary>
/// An etcd v3 endpoint that does no work: KV, Lease and Maintenance calls are answered at once with a message holding
/// only a ResponseHeader with revision 1 (a granted lease also gets its ID and TTL). It stores nothing, so it measures
/// what a load generator reaches when the server costs only its gRPC handling: the ceiling of that generator on this
/// machine. Grpc.AspNetCore on Kestrel with HTTP/2 prior knowledge, as etcd clients connect and as Coordinator serves.
/// </summary>
public static class NullEtcdServer
{
    public static async Task RunAsync(int port, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.Http2.MaxStreamsPerConnection = int.MaxValue;
            k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<NullKv>();
        builder.Services.AddSingleton<NullLease>();
        builder.Services.AddSingleton<NullMaintenance>();
        await using var app = builder.Build();
        app.MapGrpcService<NullKv>();
        app.MapGrpcService<NullLease>();
        app.MapGrpcService<NullMaintenance>();
        await app.StartAsync(ct);
        await app.WaitForShutdownAsync(ct); // SIGTERM, Ctrl-C, or ct
    }

    private static ResponseHeader Header => new() { Revision = 1 };

    private sealed class NullKv : KV.KVBase
    {
        public override Task<RangeResponse> Range(RangeRequest request, ServerCallContext context) => Task.FromResult(new RangeResponse { Header = Header });
        public override Task<PutResponse> Put(PutRequest request, ServerCallContext context) => Task.FromResult(new PutResponse { Header = Header });
        public override Task<DeleteRangeResponse> DeleteRange(DeleteRangeRequest request, ServerCallContext context) => Task.FromResult(new DeleteRangeResponse { Header = Header });
        public override Task<TxnResponse> Txn(TxnRequest request, ServerCallContext context) => Task.FromResult(new TxnResponse { Header = Header });
        public override Task<CompactionResponse> Compact(CompactionRequest request, ServerCallContext context) => Task.FromResult(new CompactionResponse { Header = Header });
    }

    private sealed class NullLease : Lease.LeaseBase
    {
        public override Task<LeaseGrantResponse> LeaseGrant(LeaseGrantRequest request, ServerCallContext context) =>
            Task.FromResult(new LeaseGrantResponse { Header = Header, ID = request.ID != 0 ? request.ID : 1, TTL = request.TTL });
        public override Task<LeaseRevokeResponse> LeaseRevoke(LeaseRevokeRequest request, ServerCallContext context) => Task.FromResult(new LeaseRevokeResponse { Header = Header });
        public override Task<LeaseTimeToLiveResponse> LeaseTimeToLive(LeaseTimeToLiveRequest request, ServerCallContext context) => Task.FromResult(new LeaseTimeToLiveResponse { Header = Header, ID = request.ID });
        public override Task<LeaseLeasesResponse> LeaseLeases(LeaseLeasesRequest request, ServerCallContext context) => Task.FromResult(new LeaseLeasesResponse { Header = Header });
    }

    private sealed class NullMaintenance : Maintenance.MaintenanceBase
    {
        public override Task<StatusResponse> Status(StatusRequest request, ServerCallContext context) => Task.FromResult(new StatusResponse { Header = Header, Version = "3.4.0" });
        public override Task<AlarmResponse> Alarm(AlarmRequest request, ServerCallContext context) => Task.FromResult(new AlarmResponse { Header = Header });
        public override Task<HashKVResponse> HashKV(HashKVRequest request, ServerCallContext context) => Task.FromResult(new HashKVResponse { Header = Header });
    }
}
