using Coordinator.Gateway;
using Coordinator.Gateway.Watch;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Coordinator.Tests.Gateway;

/// <summary>Bad input on streams and deadlines: a clear status for the call, nothing left behind, and the
/// connection and server keep working. (Unary framing cases are in <see cref="GrpcFramingTests"/>.)</summary>
public sealed class BadInputTests : IAsyncLifetime
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

    private WatchHub Hub => _host.Services.GetRequiredService<WatchHub>();

    private static WatchRequest Create(string key) => new() { CreateRequest = new WatchCreateRequest { Key = Bytes(key) } };

    /// <summary>A watch stream with one created watcher.</summary>
    private async Task<DuplexCall<WatchResponse>> WatchingAsync()
    {
        var call = await _client.DuplexAsync("/etcdserverpb.Watch/Watch", WatchResponse.Parser);
        await call.SendAsync(Create("bad/k"));
        Assert.True((await call.ReadAsync())!.Created);
        Assert.Equal(1, Hub.WatcherCount);
        return call;
    }

    private async Task AssertHubEmptiesAndServerServesAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Hub.WatcherCount > 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(0, Hub.WatcherCount);
        var put = await _client.UnaryAsync("/etcdserverpb.KV/Put", new PutRequest { Key = Bytes("bad/after"), Value = Bytes("1") }, PutResponse.Parser);
        Assert.Equal(0, put.Status);
    }

    [Fact]
    public async Task Oversized_message_mid_stream_ends_it_resource_exhausted_with_grpc_go_text_in_trailers()
    {
        using var call = await WatchingAsync();
        var huge = new WatchRequest { CreateRequest = new WatchCreateRequest { Key = ByteString.CopyFrom(new byte[3 << 20]) } };
        await call.SendAsync(huge);
        var (status, message) = await call.StatusAsync();
        Assert.Equal(8, status);
        Assert.Equal($"grpc: received message larger than max ({huge.CalculateSize()} vs. {new GatewayOptions().MaxRequestBytes})", message);
        await AssertHubEmptiesAndServerServesAsync();
    }

    [Fact]
    public async Task Garbage_protobuf_mid_stream_ends_it_internal()
    {
        using var call = await WatchingAsync();
        await call.SendRawAsync(GrpcWire.Frame([0x0A, 100, 1, 2]));
        var (status, message) = await call.StatusAsync();
        Assert.Equal(13, status);
        Assert.StartsWith("grpc: error unmarshalling request: ", message);
        await AssertHubEmptiesAndServerServesAsync();
    }

    [Fact]
    public async Task Truncated_frame_then_half_close_ends_the_stream_internal()
    {
        using var call = await WatchingAsync();
        await call.SendRawAsync(GrpcWire.Frame(Create("bad/other"))[..6]);
        call.CompleteRequests();
        var (status, _) = await call.StatusAsync();
        Assert.Equal(13, status);
        await AssertHubEmptiesAndServerServesAsync();
    }

    [Fact]
    public async Task A_stream_reset_by_the_client_mid_call_releases_its_watchers()
    {
        var call = await WatchingAsync();
        call.Dispose(); // RST_STREAM (CANCEL) on the open call
        await AssertHubEmptiesAndServerServesAsync();
        using var again = await WatchingAsync();
    }

    [Fact]
    public async Task A_write_whose_deadline_already_passed_is_deadline_exceeded_and_not_applied()
    {
        var before = _host.Node.Store.CurrentRevision;
        var result = await _client.UnaryAsync("/etcdserverpb.KV/Put", new PutRequest { Key = Bytes("bad/late"), Value = Bytes("x") },
            PutResponse.Parser, new Dictionary<string, string> { ["grpc-timeout"] = "1u" }); // gone before the handler starts
        Assert.Equal(4, result.Status);
        Assert.Equal(before, _host.Node.Store.CurrentRevision);
        Assert.Empty(_host.Node.Store.Range(new RangeRequest { Key = Bytes("bad/late") }).Kvs);
    }
}
