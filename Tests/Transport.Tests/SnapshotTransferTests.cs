using Coordinator.Grains.Raft;
using Xunit;
using Xunit.Abstractions;

namespace Coordinator.Tests.Transport;

public class SnapshotTransferTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_large_snapshot_is_delivered_in_chunks_while_small_messages_keep_flowing()
    {
        await using var a = await TestMember.StartAsync(1);
        await using var b = await TestMember.StartAsync(2);
        a.Connect(b);
        var data = new byte[20 << 20];
        new Random(5).NextBytes(data);
        var snapshot = new Message
        {
            Group = 1, Type = MessageType.InstallSnapshot, From = 1, To = 2, Term = 4,
            Snapshot = new Snapshot(new SnapshotMetadata(1000, 4, Membership.OfVoters(1, 2, 3)), data),
        };

        a.Transport.Send([snapshot]);
        ulong sent = 0;
        while (!a.SnapshotReports.Any())
        {
            a.Transport.Send(Messages.Appends(1, 2, 10, sent));
            sent += 10;
            await Task.Delay(5);
        }
        a.Transport.Send(Messages.Appends(1, 2, 10, sent));
        sent += 10;

        await Eventually.TrueAsync(() => b.Received.Count(m => m.Type == MessageType.Append) == (int)sent, "small messages arrive");
        Assert.Equal(Enumerable.Range(0, (int)sent).Select(i => (ulong)i),
            b.Received.Where(m => m.Type == MessageType.Append).Select(m => m.Index));
        Assert.Equal([(2UL, true)], a.SnapshotReports);

        var received = Assert.Single(b.Received, m => m.Type == MessageType.InstallSnapshot);
        MessageAssert.Equal(snapshot, received);
        Assert.True(a.Transport.Statistics.SnapshotChunksSent >= 20, "sent in 1 MiB chunks");
        Assert.Equal(1, b.Transport.Statistics.InboundStreamRequests);
        var before = b.Received.TakeWhile(m => m.Type != MessageType.InstallSnapshot).Count();
        output.WriteLine($"{before} of {sent} small messages arrived before the snapshot completed");
    }

    [Fact]
    public async Task A_snapshot_to_a_down_peer_is_reported_not_delivered()
    {
        await using var a = await TestMember.StartAsync(1);
        var b = await TestMember.StartAsync(2);
        a.Connect(b);
        await b.DisposeAsync();
        a.Transport.Send([new Message
        {
            Type = MessageType.InstallSnapshot, From = 1, To = 2, Term = 1,
            Snapshot = new Snapshot(new SnapshotMetadata(10, 1, Membership.OfVoters(1, 2)), new byte[1000]),
        }]);
        await Eventually.TrueAsync(() => a.SnapshotReports.Contains((2UL, false)), "snapshot failure reported");
        Assert.Contains(2UL, a.Unreachable);
    }
}
