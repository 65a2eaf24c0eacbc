using Coordinator.Grains.Raft;
using Coordinator.Silo.Transport;
using Xunit;

namespace Coordinator.Tests.Transport;

public class RaftTrafficStatsTests
{
    private static Message Append(ulong to, ulong index, int entries) => new()
    {
        Type = MessageType.Append, From = 1, To = to, Term = 1, Index = index,
        Entries = Enumerable.Range(1, entries).Select(i => new Entry(index + (ulong)i, 1)).ToArray(),
    };

    private static Message Ack(ulong from, ulong index, bool reject = false) =>
        new() { Type = MessageType.AppendResponse, From = from, To = 1, Term = 1, Index = index, Reject = reject };

    [Fact]
    public async Task An_acknowledged_append_is_a_success_with_its_round_trip_and_a_rejected_or_lost_one_a_failure()
    {
        var stats = new RaftTrafficStats();
        stats.OnSend(Append(2, 10, 2), 100);
        await Task.Delay(20);
        stats.OnSend(Append(2, 12, 1), 50); // measured one at a time: this one is not timed
        stats.OnReceive(Ack(2, 11), 0);     // below the timed index: still waiting
        Assert.Equal(0, stats.Followers().Single().Success);
        stats.OnReceive(Ack(2, 12), 0);
        var f = stats.Followers().Single();
        Assert.Equal((2UL, 1L, 0L), (f.Id, f.Success, f.Fail));
        Assert.InRange(f.Current, 15, 5000);
        Assert.Equal((f.Current, f.Current, f.Current, 0.0), (f.Average, f.Minimum, f.Maximum, f.StandardDeviation));

        stats.OnSend(Append(2, 13, 1), 10);
        stats.OnReceive(Ack(2, 13, reject: true), 0);
        stats.OnSend(Append(2, 13, 1), 10);
        stats.OnFailure(2);
        Assert.Equal(2, stats.Followers().Single().Fail);
        Assert.Equal(4, stats.SendAppendRequestCount);
        Assert.True(stats.SendRate().Packages > 0);

        stats.OnReceive(Append(1, 5, 1) with { From = 3, To = 1 }, 70);
        Assert.Equal(1, stats.RecvAppendRequestCount);
        stats.OnReceive(new Message { Type = MessageType.Heartbeat, From = 3, To = 1 }, 0);
        Assert.Equal(1, stats.RecvAppendRequestCount);
    }

    [Fact]
    public void A_follower_never_answered_lists_etcds_initial_minimum()
    {
        var stats = new RaftTrafficStats();
        stats.Track(7);
        var f = stats.Followers().Single();
        Assert.Equal((7UL, 0L, 0L, 9223372036854775808.0), (f.Id, f.Success, f.Fail, f.Minimum));
    }
}
