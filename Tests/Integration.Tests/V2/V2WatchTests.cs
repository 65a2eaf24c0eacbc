using Xunit;

namespace Coordinator.Tests.Integration.V2;

/// <summary>Watches through a follower while the leader takes writes: a wait that races the write it waits for
/// gets exactly that write, and a stream sees every change once, in index order.</summary>
[Trait("Category", "Integration")]
public sealed class V2WatchTests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new(3);
    private readonly V2Curl _curl = new();

    public Task InitializeAsync() => _cluster.StartPublishedAsync();

    public Task DisposeAsync()
    {
        _curl.Dispose();
        _cluster.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_wait_racing_its_write_on_another_member_gets_exactly_that_write()
    {
        var leader = await _cluster.WaitForLeaderAsync();
        var follower = _cluster.Members.First(m => m != leader);
        for (var i = 0; i < 30; i++)
        {
            var index = ulong.Parse((await _curl.GetAsync(leader.ClientUrl + "/v2/keys/?quorum=true")).Header("X-Etcd-Index"));
            var wait = _curl.GetAsync(follower.ClientUrl + $"/v2/keys/race?wait=true&waitIndex={index + 1}");
            if (i % 3 == 1) await Task.Delay(5);
            var write = await _curl.PutAsync(leader.ClientUrl + "/v2/keys/race", "value=" + i);
            var got = await wait.WaitAsync(TimeSpan.FromSeconds(10));
            var node = got.Json.GetProperty("node");
            Assert.Equal((i.ToString(), write.Json.GetProperty("node").GetProperty("modifiedIndex").GetUInt64()),
                (node.GetProperty("value").GetString(), node.GetProperty("modifiedIndex").GetUInt64()));
        }
    }

    [Fact]
    public async Task A_recursive_stream_on_a_follower_sees_every_change_once_in_order()
    {
        var leader = await _cluster.WaitForLeaderAsync();
        var follower = _cluster.Members.First(m => m != leader);
        using var stream = await _curl.OpenAsync(follower.ClientUrl + "/v2/keys/s?wait=true&recursive=true&stream=true");
        Assert.Equal(200, stream.Head.Status);
        var written = new List<ulong>();
        for (var i = 0; i < 60; i++)
        {
            var r = i % 10 == 9
                ? await _curl.SendAsync("DELETE", leader.ClientUrl + $"/v2/keys/s/k{i - 1}")
                : await _curl.PutAsync(leader.ClientUrl + $"/v2/keys/s/k{i}", "value=" + i);
            written.Add(r.Json.GetProperty("node").GetProperty("modifiedIndex").GetUInt64());
        }
        var seen = new List<ulong>();
        while (seen.Count < written.Count && await stream.ReadLineAsync(TimeSpan.FromSeconds(10)) is { } line)
        {
            if (line.Length == 0) continue;
            seen.Add(System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("node").GetProperty("modifiedIndex").GetUInt64());
        }
        Assert.Equal(written, seen);
    }
}
