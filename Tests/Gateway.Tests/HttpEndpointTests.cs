using System.Net;
using System.Text.Json;
using Etcdserverpb;
using Google.Protobuf;
using Xunit;

namespace Coordinator.Tests.Gateway;

/// <summary>HTTP/1.1 and gRPC (h2c) on one port, as on etcd's client URL.</summary>
public sealed class HttpEndpointTests : IAsyncLifetime
{
    private GatewayHost _host = null!;
    private HttpClient _http1 = null!;

    public async Task InitializeAsync()
    {
        _host = await GatewayHost.StartAsync();
        _http1 = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            BaseAddress = new Uri($"http://{_host.Endpoint}"),
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    public async Task DisposeAsync()
    {
        _http1.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, Version Version, string Body)> GetAsync(string path)
    {
        using var response = await _http1.GetAsync(path);
        return (response.StatusCode, response.Version, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Http1_endpoints_and_grpc_share_the_port()
    {
        var health = await GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.Equal(HttpVersion.Version11, health.Version);
        Assert.Equal("true", JsonDocument.Parse(health.Body).RootElement.GetProperty("health").GetString());

        var version = await GetAsync("/version");
        var json = JsonDocument.Parse(version.Body).RootElement;
        Assert.StartsWith("3.4.", json.GetProperty("etcdserver").GetString());
        Assert.StartsWith("3.4.", json.GetProperty("etcdcluster").GetString());

        var metrics = await GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.Status);
        foreach (var name in new[]
                 {
                     "process_resident_memory_bytes", "process_cpu_seconds_total", "etcd_server_has_leader 1",
                     "etcd_server_leader_changes_seen_total",
                 })
            Assert.Contains(name, metrics.Body);
        // The runtime's memory gauges: numbers, and a running server has allocated something.
        var allocated = metrics.Body.Split('\n').Single(l => l.StartsWith("dotnet_gc_allocated_bytes_total ", StringComparison.Ordinal));
        Assert.True(double.Parse(allocated.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) > 0);
        foreach (var name in new[] { "dotnet_gc_heap_size_bytes", "dotnet_gc_committed_bytes", "dotnet_gc_pause_seconds_total" })
            Assert.Contains("\n" + name + " ", metrics.Body);

        using var grpc = _host.CreateClient();
        var put = await grpc.UnaryAsync("/etcdserverpb.KV/Put",
            new PutRequest { Key = ByteString.CopyFromUtf8("k"), Value = ByteString.CopyFromUtf8("v") }, PutResponse.Parser);
        Assert.Equal(0, put.Status);

        // HTTP/1.1 still works after gRPC used the port.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/health")).Status);
    }

    [Fact]
    public async Task Health_is_false_without_a_leader()
    {
        _host.Node.LeaderId = 0;
        var health = await GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        Assert.Equal("false", JsonDocument.Parse(health.Body).RootElement.GetProperty("health").GetString());
        Assert.Contains("etcd_server_has_leader 0", (await GetAsync("/metrics")).Body);
    }
}
