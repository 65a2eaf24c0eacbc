using Coordinator.Tests.Integration;

namespace Coordinator.Client.Tests;

/// <summary>A 3-member cluster: the client keeps working when the member it talks to dies.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterFailoverTests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new(3);

    public Task InitializeAsync() => _cluster.StartAsync();

    public Task DisposeAsync()
    {
        _cluster.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Calls_succeed_through_the_other_members_after_the_used_endpoint_is_killed()
    {
        using var client = new CoordinatorClient(new CoordinatorClientOptions
        {
            Endpoints = _cluster.Members.Select(m => m.Endpoint).ToList(),
            RequestTimeout = TimeSpan.FromSeconds(10),
        });
        // Round-robin starts at the first endpoint: that is the one the client uses first.
        await client.PutAsync("fo/before", "1");
        _cluster.Members[0].Kill();
        await _cluster.WaitForLeaderAsync(); // m1 may have been the leader: writes need a new one

        for (var i = 0; i < 20; i++)
        {
            await client.PutAsync($"fo/{i}", i.ToString());
            Assert.Equal(i.ToString(), (await client.GetAsync($"fo/{i}"))!.Value.ToStringUtf8());
        }

        // Kill the leader too if it is still up: a majority is gone, so first let m1 back in.
        _cluster.Members[0].Start();
        var leader = await _cluster.WaitForLeaderAsync();
        leader.Kill();
        await _cluster.WaitForLeaderAsync();
        for (var i = 0; i < 10; i++)
            Assert.Equal("1", (await client.GetAsync("fo/before"))!.Value.ToStringUtf8());
    }

    [Fact]
    public async Task A_client_whose_only_endpoint_is_dead_fails_with_unavailable_within_its_deadline()
    {
        var dead = FreePorts.Take(1)[0];
        using var client = new CoordinatorClient(new CoordinatorClientOptions
        {
            Endpoints = [$"127.0.0.1:{dead}"],
            RequestTimeout = TimeSpan.FromSeconds(2),
        });
        var e = await Assert.ThrowsAsync<CoordinatorException>(() => client.GetAsync("k"));
        Assert.True(e.IsUnavailable || e.IsDeadlineExceeded, e.Message);
    }
}
