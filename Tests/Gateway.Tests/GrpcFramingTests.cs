using Coordinator.Gateway;
using Coordinator.Gateway.Grpc;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Coordinator.Tests.Gateway;

public sealed class GrpcFramingTests : IAsyncLifetime
{
    private GatewayHost _host = null!;
    private GrpcTestClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await GatewayHost.StartAsync();
        _client = _host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    private static ByteString Bytes(string s) => ByteString.CopyFromUtf8(s);

    [Fact]
    public async Task Unary_put_then_range_round_trips_with_filled_header()
    {
        var put = await _client.UnaryAsync("/etcdserverpb.KV/Put",
            new PutRequest { Key = Bytes("a"), Value = Bytes("1") }, PutResponse.Parser);
        Assert.Equal(0, put.Status);
        Assert.False(put.TrailersOnly);
        Assert.Equal(2, put.Single().Header.Revision);
        Assert.Equal(0xC1UL, put.Single().Header.ClusterId);
        Assert.Equal(0x11UL, put.Single().Header.MemberId);
        Assert.Equal(3UL, put.Single().Header.RaftTerm);

        var range = await _client.UnaryAsync("/etcdserverpb.KV/Range", new RangeRequest { Key = Bytes("a") }, RangeResponse.Parser);
        Assert.Equal(0, range.Status);
        var kv = Assert.Single(range.Single().Kvs);
        Assert.Equal("1", kv.Value.ToStringUtf8());
        Assert.Equal(2, range.Single().Header.Revision);
        Assert.Equal(0xC1UL, range.Single().Header.ClusterId);
    }

    [Fact]
    public async Task Store_refusal_is_trailers_only_with_etcd_code_and_text()
    {
        var result = await _client.UnaryAsync("/etcdserverpb.KV/Put", new PutRequest { Value = Bytes("x") }, PutResponse.Parser);
        Assert.Equal(3, result.Status);
        Assert.Equal("etcdserver: key is not provided", result.Message);
        Assert.True(result.TrailersOnly);
        Assert.Empty(result.Responses);
    }

    [Fact]
    public async Task Unknown_method_is_unimplemented_with_http_200()
    {
        using var request = GrpcTestClient.NewRequest("/etcdserverpb.KV/NoSuchMethod",
            new ByteArrayContent(GrpcWire.Frame(new RangeRequest())), null);
        using var response = await _client.Http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(12, GrpcWire.Status(response).Status);

        var service = await _client.RawAsync("/nosuch.Service/Method", GrpcWire.Frame(new RangeRequest()));
        Assert.Equal(12, service.Status);
    }

    [Fact]
    public async Task Auth_service_answers_with_etcds_status_and_text()
    {
        var result = await _client.RawAsync("/etcdserverpb.Auth/AuthEnable", GrpcWire.Frame(new AuthEnableRequest()));
        Assert.Equal(9, result.Status);
        Assert.Equal("etcdserver: root user does not exist", result.Message);
    }

    [Fact]
    public async Task Oversize_request_is_resource_exhausted()
    {
        var value = ByteString.CopyFrom(new byte[3 * 1024 * 1024]);
        var request = new PutRequest { Key = Bytes("big"), Value = value };
        var result = await _client.UnaryAsync("/etcdserverpb.KV/Put", request, PutResponse.Parser);
        Assert.Equal(8, result.Status);
        Assert.Equal($"grpc: received message larger than max ({request.CalculateSize()} vs. {new GatewayOptions().MaxRequestBytes})", result.Message);
        Assert.Equal(0, _host.Node.Store.CurrentRevision - 1);
        // The connection survives.
        var next = await _client.UnaryAsync("/etcdserverpb.KV/Range", new RangeRequest { Key = Bytes("big") }, RangeResponse.Parser);
        Assert.Equal(0, next.Status);
    }

    [Fact]
    public async Task Request_between_etcd_limit_and_grpc_limit_is_etcd_request_too_large()
    {
        var value = ByteString.CopyFrom(new byte[1572864 + 100]);
        var result = await _client.UnaryAsync("/etcdserverpb.KV/Put", new PutRequest { Key = Bytes("big"), Value = value }, PutResponse.Parser);
        Assert.Equal(3, result.Status);
        Assert.Equal("etcdserver: request is too large", result.Message);
    }

    [Fact]
    public async Task Malformed_protobuf_truncated_and_empty_frames_are_internal_and_the_connection_keeps_working()
    {
        var before = await _client.UnaryAsync(ProbeService.ConnectionPath, new StatusRequest(), StatusResponse.Parser);

        // Field 1 (bytes) claiming 100 bytes with only 2 present.
        // As grpc-go: INTERNAL, "grpc: error unmarshalling request: ...".
        var result = await _client.RawAsync("/etcdserverpb.KV/Range", GrpcWire.Frame([0x0A, 100, 1, 2]));
        Assert.Equal(13, result.Status);
        Assert.StartsWith("grpc: error unmarshalling request: ", result.Message);
        Assert.True(result.TrailersOnly);

        var truncated = await _client.RawAsync("/etcdserverpb.KV/Range", GrpcWire.Frame(new RangeRequest { Key = Bytes("k") })[..4]);
        Assert.Equal(13, truncated.Status);
        Assert.Equal("Incomplete message.", truncated.Message);

        var empty = await _client.RawAsync("/etcdserverpb.KV/Range", []);
        Assert.Equal(13, empty.Status);

        var after = await _client.UnaryAsync(ProbeService.ConnectionPath, new StatusRequest(), StatusResponse.Parser);
        Assert.Equal(before.Single().Version, after.Single().Version);
        var range = await _client.UnaryAsync("/etcdserverpb.KV/Range", new RangeRequest { Key = Bytes("k") }, RangeResponse.Parser);
        Assert.Equal(0, range.Status);
    }

    [Fact]
    public async Task Malformed_health_check_is_internal_as_etcd_and_health_still_answers()
    {
        // etcd 3.4 (grpc-go's health server) answers this frame INTERNAL, "grpc: error unmarshalling request: unexpected EOF".
        var result = await _client.RawAsync("/grpc.health.v1.Health/Check", GrpcWire.Frame([0x0A, 100, 1, 2]));
        Assert.Equal(13, result.Status);
        Assert.StartsWith("grpc: error unmarshalling request: ", result.Message);

        var watch = await _client.RawAsync("/grpc.health.v1.Health/Watch", GrpcWire.Frame([0x0A, 100, 1, 2]));
        Assert.Equal(13, watch.Status);
        Assert.StartsWith("grpc: error unmarshalling request: ", watch.Message);

        var check = await _client.UnaryAsync("/grpc.health.v1.Health/Check", new Grpc.Health.V1.HealthCheckRequest(), Grpc.Health.V1.HealthCheckResponse.Parser);
        Assert.Equal(0, check.Status);
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, check.Single().Status);
    }

    [Fact]
    public async Task Compressed_frames_are_refused_as_grpc_does()
    {
        var frame = GrpcWire.Frame(new RangeRequest { Key = Bytes("k") }.ToByteArray(), compressed: 1);
        var identity = await _client.RawAsync("/etcdserverpb.KV/Range", frame);
        Assert.Equal(13, identity.Status);
        var snappy = await _client.RawAsync("/etcdserverpb.KV/Range", frame, new Dictionary<string, string> { ["grpc-encoding"] = "snappy" });
        Assert.Equal(12, snappy.Status);
    }

    [Fact]
    public async Task Grpc_timeout_becomes_deadline_exceeded()
    {
        _host.Node.StallReads = true;
        var started = DateTime.UtcNow;
        var result = await _client.UnaryAsync("/etcdserverpb.KV/Range", new RangeRequest { Key = Bytes("k") }, RangeResponse.Parser,
            new Dictionary<string, string> { ["grpc-timeout"] = "200m" });
        Assert.Equal(4, result.Status);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));

        // Serializable reads skip the barrier.
        var serializable = await _client.UnaryAsync("/etcdserverpb.KV/Range",
            new RangeRequest { Key = Bytes("k"), Serializable = true }, RangeResponse.Parser,
            new Dictionary<string, string> { ["grpc-timeout"] = "200m" });
        Assert.Equal(0, serializable.Status);
    }

    [Fact]
    public async Task Server_streaming_sends_every_message_then_ok_in_trailers()
    {
        var result = await _client.UnaryAsync(ProbeService.CountPath, new RangeRequest { Limit = 5 }, RangeResponse.Parser);
        Assert.Equal(0, result.Status);
        Assert.False(result.TrailersOnly);
        Assert.Equal([1L, 2, 3, 4, 5], result.Responses.Select(r => r.Count));
    }

    [Fact]
    public async Task Hasleader_stream_fails_without_a_leader()
    {
        _host.Node.LeaderId = 0;
        using var call = await _client.DuplexAsync("/etcdserverpb.Lease/LeaseKeepAlive", LeaseKeepAliveResponse.Parser,
            new Dictionary<string, string> { ["hasleader"] = "true" });
        var (status, message) = await call.StatusAsync();
        Assert.Equal(14, status);
        Assert.Equal("etcdserver: no leader", message);
    }

    [Fact]
    public async Task Shutdown_ends_open_streams_with_unavailable()
    {
        using var call = await _client.DuplexAsync("/etcdserverpb.Lease/LeaseKeepAlive", LeaseKeepAliveResponse.Parser);
        _host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        var (status, _) = await call.StatusAsync();
        Assert.Equal(14, status);
    }
}
