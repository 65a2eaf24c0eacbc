using Coordinator.Gateway.Health;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Coordinator.Tests.Gateway;

/// <summary>The gateway through standard clients: Grpc.Net.Client, and the health and reflection clients generated
/// from gRPC's own protos (Grpc.HealthCheck, Grpc.Reflection), not from anything of ours.</summary>
public sealed class StandardClientTests : IAsyncLifetime
{
    private GatewayHost _host = null!;
    private GrpcChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _host = await GatewayHost.StartAsync();
        _channel = _host.CreateChannel();
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _host.DisposeAsync();
    }

    private static ByteString Bytes(string s) => ByteString.CopyFromUtf8(s);

    [Fact]
    public async Task Health_check_is_serving_while_the_member_has_a_leader()
    {
        var health = new Health.HealthClient(_channel);
        var publisher = _host.Services.GetRequiredService<LeaderHealthPublisher>();
        publisher.Sample();
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving,
            (await health.CheckAsync(new HealthCheckRequest { Service = "" })).Status);

        _host.Node.LeaderId = 0;
        publisher.Sample();
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing,
            (await health.CheckAsync(new HealthCheckRequest { Service = "" })).Status);

        var unknown = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = "nosuch" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Health_watch_reports_each_change_of_leadership()
    {
        var publisher = _host.Services.GetRequiredService<LeaderHealthPublisher>();
        publisher.Sample();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var watch = new Health.HealthClient(_channel).Watch(new HealthCheckRequest { Service = "" }, cancellationToken: timeout.Token);
        Assert.True(await watch.ResponseStream.MoveNext(timeout.Token));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, watch.ResponseStream.Current.Status);

        _host.Node.LeaderId = 0;
        publisher.Sample();
        Assert.True(await watch.ResponseStream.MoveNext(timeout.Token));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, watch.ResponseStream.Current.Status);

        _host.Node.LeaderId = 0x11;
        publisher.Sample();
        Assert.True(await watch.ResponseStream.MoveNext(timeout.Token));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, watch.ResponseStream.Current.Status);
    }

    [Fact]
    public async Task Reflection_lists_every_etcd_service_and_describes_them()
    {
        using var call = new ServerReflection.ServerReflectionClient(_channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToHashSet();
        foreach (var name in new[]
                 {
                     "etcdserverpb.KV", "etcdserverpb.Watch", "etcdserverpb.Lease", "etcdserverpb.Cluster",
                     "etcdserverpb.Maintenance", "etcdserverpb.Auth", "v3lockpb.Lock", "v3electionpb.Election",
                     "grpc.health.v1.Health",
                 })
            Assert.Contains(name, services);

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "etcdserverpb.KV" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto
            .Select(b => Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(b)).ToList();
        var rpc = Assert.Single(files, f => f.Package == "etcdserverpb");
        Assert.Contains(rpc.Service.Single(s => s.Name == "KV").Method, m => m.Name == "Range");
        await call.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task Generated_client_gets_etcd_statuses_and_texts()
    {
        var kv = new KV.KVClient(_channel);
        var put = await kv.PutAsync(new PutRequest { Key = Bytes("std"), Value = Bytes("1") });
        Assert.Equal(0x11UL, put.Header.MemberId);

        var empty = await Assert.ThrowsAsync<RpcException>(() => kv.PutAsync(new PutRequest { Value = Bytes("x") }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, empty.StatusCode);
        Assert.Equal("etcdserver: key is not provided", empty.Status.Detail);

        var auth = await Assert.ThrowsAsync<RpcException>(() => new Auth.AuthClient(_channel).AuthEnableAsync(new AuthEnableRequest()).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, auth.StatusCode);
        Assert.Equal("etcdserver: root user does not exist", auth.Status.Detail);
    }
}
