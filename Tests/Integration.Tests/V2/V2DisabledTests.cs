using Xunit;

namespace Coordinator.Tests.Integration.V2;

/// <summary>--enable-v2=false: no v2 routes (etcd's 404 page, as etcd 3.4 without --enable-v2); the rest serves.</summary>
[Trait("Category", "Integration")]
public sealed class V2DisabledTests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new(1, "--enable-v2=false");

    public Task InitializeAsync() => _cluster.StartAsync();
    public Task DisposeAsync() { _cluster.Dispose(); return Task.CompletedTask; }

    [Fact]
    public async Task Without_v2_the_v2_paths_are_not_found_and_v3_and_health_still_serve()
    {
        using var curl = new V2Curl();
        var url = _cluster.Members[0].ClientUrl;
        foreach (var path in new[] { "/v2/keys/x", "/v2/members", "/v2/machines", "/v2/stats/self" })
        {
            var r = await curl.PutAsync(url + path, "value=1");
            Assert.Equal((404, "404 page not found\n"), (r.Status, r.Body));
        }
        Assert.Equal("{\"health\":\"true\"}", (await curl.GetAsync(url + "/health")).Body);
        var put = await Etcdctl.RunAsync(_cluster.Endpoints, "put", "k", "v");
        Assert.True(put.ExitCode == 0, put.ToString());
    }
}
