using Coordinator.Silo.Transport;
using Xunit;
using Xunit.Abstractions;

namespace Coordinator.Tests.Transport;

public class PeerIdentityTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_sender_from_another_cluster_is_refused_and_nothing_is_delivered()
    {
        await using var b = await TestMember.StartAsync(2, clusterId: 0xaaaa);
        await using var stranger = await TestMember.StartAsync(1, clusterId: 0xbbbb);
        stranger.Connect(b);
        stranger.Transport.Send(Messages.Appends(1, 2, 100));

        await Eventually.TrueAsync(() => stranger.Transport.GetPeerState(2) == PeerConnectionState.Refused, "sender sees the refusal");
        await Eventually.TrueAsync(() => stranger.Unreachable.Contains(2UL), "refused peer reported unreachable");
        Assert.True(b.Transport.Statistics.RefusedRequests >= 1);
        Assert.Equal(0, b.Transport.Statistics.InboundStreamRequests);
        Assert.Equal(0, b.Transport.Statistics.MessagesReceived);
        Assert.Empty(b.Received);
        Assert.Contains(stranger.Logs.Lines, l => l.Contains("peer 2 belongs to another cluster (its cluster id aaaa, ours bbbb)"));
        Assert.Contains(b.Logs.Lines, l => l.Contains("Refused /raft/stream") && l.Contains("belongs to another cluster"));
        // Backs off and keeps retrying, but logs the refusal once per state change.
        await Eventually.TrueAsync(() => b.Transport.Statistics.RefusedRequests >= 3, "sender keeps retrying");
        foreach (var l in stranger.Logs.Lines.Concat(b.Logs.Lines)) output.WriteLine(l);
        Assert.Single(stranger.Logs.Lines, l => l.Contains("refused us"));
    }

    [Fact]
    public async Task A_request_addressed_to_another_member_is_refused()
    {
        await using var a = await TestMember.StartAsync(1);
        await using var b = await TestMember.StartAsync(2);
        a.Transport.AddPeer(3, b.Url);   // wrong: member 2 listens there
        a.Transport.Send(Messages.Appends(1, 3, 10));

        await Eventually.TrueAsync(() => a.Transport.GetPeerState(3) == PeerConnectionState.Refused, "refused");
        Assert.Contains(a.Logs.Lines, l => l.Contains($"the member at {b.Url} is 2, not peer 3"));
        Assert.Empty(b.Received);
        Assert.Equal(0, b.Transport.Statistics.MessagesReceived);
    }
}
