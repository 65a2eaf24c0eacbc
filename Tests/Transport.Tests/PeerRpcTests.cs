using System.Text;
using Coordinator.Silo.Transport;
using Xunit;

namespace Coordinator.Tests.Transport;

public class PeerRpcTests
{
    [Fact]
    public async Task Unary_call_round_trips_with_the_callers_id()
    {
        await using var a = await TestMember.StartAsync(1);
        await using var b = await TestMember.StartAsync(2);
        a.Connect(b);
        b.Transport.RegisterHandler("lease-keepalive", (from, body, _) =>
            Task.FromResult(Encoding.UTF8.GetBytes($"from {from}: {Encoding.UTF8.GetString(body)}")));

        var reply = await a.Transport.CallAsync(2, "lease-keepalive", "lease 42"u8.ToArray(), CancellationToken.None);
        Assert.Equal("from 1: lease 42", Encoding.UTF8.GetString(reply));

        var large = new byte[3 << 20];
        new Random(1).NextBytes(large);
        b.Transport.RegisterHandler("echo", (_, body, _) => Task.FromResult(body));
        Assert.Equal(large, await a.Transport.CallAsync(2, "echo", large, CancellationToken.None));
        Assert.Equal(2, b.Transport.Statistics.InboundRpcRequests);
    }

    [Fact]
    public async Task Unknown_methods_and_handler_failures_surface_as_rpc_exceptions()
    {
        await using var a = await TestMember.StartAsync(1);
        await using var b = await TestMember.StartAsync(2);
        a.Connect(b);
        b.Transport.RegisterHandler("boom", (_, _, _) => throw new InvalidOperationException("not the leader"));

        var missing = await Assert.ThrowsAsync<PeerRpcException>(() => a.Transport.CallAsync(2, "nope", [], CancellationToken.None));
        Assert.Equal(404, missing.StatusCode);
        var failed = await Assert.ThrowsAsync<PeerRpcException>(() => a.Transport.CallAsync(2, "boom", [], CancellationToken.None));
        Assert.Equal(500, failed.StatusCode);
        Assert.Contains("not the leader", failed.Message);
    }

    [Fact]
    public async Task A_call_from_another_cluster_is_refused()
    {
        await using var b = await TestMember.StartAsync(2, clusterId: 5);
        await using var stranger = await TestMember.StartAsync(1, clusterId: 6);
        stranger.Connect(b);
        var called = false;
        b.Transport.RegisterHandler("echo", (_, body, _) => { called = true; return Task.FromResult(body); });

        var refused = await Assert.ThrowsAsync<PeerRefusedException>(() => stranger.Transport.CallAsync(2, "echo", [1], CancellationToken.None));
        Assert.Contains("belongs to another cluster", refused.Message);
        Assert.False(called);
    }
}
