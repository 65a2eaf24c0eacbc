using Coordinator.Grains.Raft;
using Coordinator.Silo.Transport;
using Xunit;

namespace Coordinator.Tests.Transport;

public class MessageStreamTests
{
    [Fact]
    public async Task Three_members_exchange_thousands_of_messages_in_order_per_peer()
    {
        // The queues hold everything: this test is about ordering, not about overflow (see PeerFailureTests).
        static PeerTransportOptions Roomy(PeerTransportOptions o) => o with { PeerQueueCapacity = 10_000 };
        await using var a = await TestMember.StartAsync(1, configure: Roomy);
        await using var b = await TestMember.StartAsync(2, configure: Roomy);
        await using var c = await TestMember.StartAsync(3, configure: Roomy);
        a.Connect(b, c);
        b.Connect(a, c);
        c.Connect(a, b);
        const int perPeer = 5000;

        // Interleaved sends in many small calls, as a replica loop would.
        for (var i = 0; i < perPeer; i += 50)
        {
            foreach (var sender in new[] { a, b, c })
            {
                var batch = new List<Message>();
                foreach (var receiver in new[] { a, b, c }.Where(r => r != sender))
                    batch.AddRange(Messages.Appends(sender.Id, receiver.Id, 50, (ulong)i));
                sender.Transport.Send(batch);
            }
        }

        foreach (var receiver in new[] { a, b, c })
        {
            await Eventually.TrueAsync(() => receiver.Received.Count == 2 * perPeer, $"member {receiver.Id} receives all");
            foreach (var sender in new[] { a, b, c }.Where(s => s != receiver))
            {
                var sequence = receiver.ReceivedFrom(sender.Id).Select(m => m.Index).ToList();
                Assert.Equal(Enumerable.Range(0, perPeer).Select(i => (ulong)i), sequence);
            }
            // One long-lived stream per sending peer, not one request per message.
            Assert.Equal(2, receiver.Transport.Statistics.InboundStreamRequests);
        }
        Assert.All(new[] { a, b, c }, m => Assert.Empty(m.Unreachable));
        Assert.All(new[] { a, b, c }, m => Assert.Equal(0, m.Transport.Statistics.MessagesDropped));
    }

    [Fact]
    public async Task Queued_messages_go_out_in_few_batches_on_one_request()
    {
        await using var b = await TestMember.StartAsync(2);
        await using var a = await TestMember.StartAsync(1, configure: o => o with { PeerQueueCapacity = 20_000, MaxBatchMessages = 1000 },
            startTransport: false);
        a.Connect(b);
        const int count = 10_000;
        a.Transport.Send(Messages.Appends(1, 2, count));   // all queued before the stream exists
        a.StartTransport();

        await Eventually.TrueAsync(() => b.Received.Count == count, "all messages arrive");
        Assert.Equal(Enumerable.Range(0, count).Select(i => (ulong)i), b.Received.Select(m => m.Index));
        Assert.Equal(1, b.Transport.Statistics.InboundStreamRequests);
        // Every batch but possibly one is full: far fewer flushes than messages.
        Assert.InRange(b.Transport.Statistics.BatchesReceived, count / 1000, count / 1000 + 1);
        Assert.Equal(a.Transport.Statistics.BatchesSent, b.Transport.Statistics.BatchesReceived);
        Assert.Equal(count, a.Transport.Statistics.MessagesSent);
    }

    [Fact]
    public async Task An_idle_stream_is_established_before_any_message_is_sent()
    {
        // Pings far apart: without an early header flush the stream would only open on the first ping or message.
        await using var a = await TestMember.StartAsync(1, configure: o => o with { KeepAlivePingDelay = TimeSpan.FromMinutes(10) });
        await using var b = await TestMember.StartAsync(2);
        a.Connect(b);
        await Eventually.TrueAsync(() => a.Transport.GetPeerState(2) == PeerConnectionState.Connected, "stream connected",
            timeout: TimeSpan.FromMinutes(2));
        Assert.Equal(1, b.Transport.Statistics.InboundStreamRequests);
    }

    [Fact]
    public async Task Messages_to_unknown_peers_are_dropped()
    {
        await using var a = await TestMember.StartAsync(1);
        a.Transport.Send([Messages.Heartbeat(1, 42, 0)]);
        Assert.Equal(1, a.Transport.Statistics.MessagesDropped);
    }

    [Fact]
    public async Task Stop_closes_streams_and_completes_the_inbox()
    {
        var a = await TestMember.StartAsync(1);
        await using var b = await TestMember.StartAsync(2);
        a.Connect(b);
        a.Transport.Send(Messages.Appends(1, 2, 10));
        await Eventually.TrueAsync(() => b.Received.Count == 10, "delivery");
        await a.DisposeAsync();
        Assert.True(a.Transport.Inbound.Completion.IsCompleted);
        Assert.Throws<ObjectDisposedException>(() => a.Transport.AddPeer(3, b.Url));
    }
}
