using Coordinator.Silo.Transport;
using Xunit;

namespace Coordinator.Tests.Transport;

public class PeerFailureTests
{
    [Fact]
    public async Task A_down_peer_is_reported_unreachable_others_still_receive_and_delivery_resumes_when_it_returns()
    {
        await using var a = await TestMember.StartAsync(1);
        await using var b = await TestMember.StartAsync(2);
        var c = await TestMember.StartAsync(3);
        var cPort = c.Url.Port;
        a.Connect(b, c);
        await c.DisposeAsync();   // C is down before anything is sent

        a.Transport.Send([.. Messages.Appends(1, 2, 1000), .. Messages.Appends(1, 3, 1000)]);
        await Eventually.TrueAsync(() => b.Received.Count == 1000, "B still gets its messages");
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (ulong)i), b.Received.Select(m => m.Index));
        await Eventually.TrueAsync(() => a.Unreachable.Contains(3UL), "C reported unreachable");
        Assert.DoesNotContain(2UL, a.Unreachable);
        Assert.Equal(PeerConnectionState.Disconnected, a.Transport.GetPeerState(3));
        Assert.Contains(a.Logs.Lines, l => l.Contains("Peer 3") && l.Contains("reconnecting with backoff"));

        // C comes back (same port if free, otherwise a new one announced with UpdatePeer).
        TestMember restarted;
        try
        {
            restarted = await TestMember.StartAsync(3, port: cPort);
        }
        catch (IOException)
        {
            restarted = await TestMember.StartAsync(3);
            a.Transport.UpdatePeer(3, restarted.Url);
        }
        await using var _ = restarted;
        var marker = 1_000_000UL;
        await Eventually.TrueAsync(() => restarted.Received.Any(m => m.Context == marker), "delivery to C resumes",
            eachPoll: () => a.Transport.Send([Messages.Heartbeat(1, 3, marker)]));
        await Eventually.TrueAsync(() => a.Transport.GetPeerState(3) == PeerConnectionState.Connected, "state is Connected");
        Assert.Contains(a.Logs.Lines, l => l.Contains("Peer 3") && l.Contains("stream connected"));
    }

    [Fact]
    public async Task Queue_overflow_drops_messages_and_reports_the_peer_unreachable()
    {
        await using var a = await TestMember.StartAsync(1, configure: o => o with { PeerQueueCapacity = 16 });
        var b = await TestMember.StartAsync(2);
        a.Connect(b);
        await b.DisposeAsync();

        a.Transport.Send(Messages.Appends(1, 2, 100));
        Assert.Contains(2UL, a.Unreachable);   // reported synchronously by Send
        Assert.True(a.Transport.Statistics.MessagesDropped >= 100 - 16);
    }

    [Fact]
    public async Task UpdatePeer_moves_the_stream_to_the_new_url()
    {
        await using var a = await TestMember.StartAsync(1);
        await using var first = await TestMember.StartAsync(2);
        a.Connect(first);
        a.Transport.Send(Messages.Appends(1, 2, 10));
        await Eventually.TrueAsync(() => first.Received.Count == 10, "first location receives");

        await using var second = await TestMember.StartAsync(2);
        a.Transport.UpdatePeer(2, second.Url);
        await Eventually.TrueAsync(() => second.Received.Any(m => m.Context == 77), "second location receives",
            eachPoll: () => a.Transport.Send([Messages.Heartbeat(1, 2, 77)]));
    }

    [Fact]
    public async Task RemovePeer_stops_sending_to_it()
    {
        await using var a = await TestMember.StartAsync(1);
        await using var b = await TestMember.StartAsync(2);
        a.Connect(b);
        Assert.True(a.Transport.RemovePeer(2));
        Assert.False(a.Transport.RemovePeer(2));
        a.Transport.Send(Messages.Appends(1, 2, 5));
        Assert.Equal(5, a.Transport.Statistics.MessagesDropped);
    }
}
