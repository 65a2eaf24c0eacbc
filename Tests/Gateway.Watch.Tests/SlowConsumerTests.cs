using Coordinator.Gateway.Watch;
using Xunit;
using static Coordinator.Tests.Gateway.Watch.WatchFixture;

namespace Coordinator.Tests.Gateway.Watch;

public sealed class SlowConsumerTests
{
    [Fact]
    public async Task Never_read_stream_does_not_block_publishing_or_other_watchers()
    {
        using var fixture = new WatchFixture(new WatchHubOptions { MaxPendingResponses = 16 });
        var stuck = fixture.Hub.OpenStream();
        for (var i = 0; i < 5; i++) stuck.Create(WatchPrefix("k"));
        using var healthy = fixture.Hub.OpenStream();
        var id = healthy.Create(WatchPrefix("k"));
        await healthy.Responses.NextAsync();

        var reader = Task.Run(() => healthy.Responses.EventsThroughAsync(id, 2001));
        var writer = Task.Run(() => { for (var i = 0; i < 2000; i++) fixture.Put("k" + (i % 7), "v" + i); });
        Assert.True(writer.Wait(TimeSpan.FromSeconds(20)), "publisher blocked");
        var events = await reader;
        Assert.Equal(Enumerable.Range(2, 2000).Select(r => (long)r), events.Select(e => e.Kv.ModRevision));

        Assert.True(stuck.Responses.Count <= 16 + 5);
        Assert.Equal(5, fixture.Hub.UnsyncedWatcherCount);
        stuck.Dispose();
        Assert.Equal(0, fixture.Hub.UnsyncedWatcherCount);
    }

    [Fact]
    public async Task Slow_reader_falls_behind_then_catches_up_from_history_exactly()
    {
        using var fixture = new WatchFixture(new WatchHubOptions { MaxPendingResponses = 8, CatchUpBatchEvents = 25 });
        using var stream = fixture.Hub.OpenStream();
        var prefix = stream.Create(WatchPrefix("k"));
        var single = stream.Create(WatchKey("k3", prevKv: true));

        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 3000; i++)
            {
                if (i % 100 == 0) fixture.Txn(OpPut("k1", "t" + i), OpPut("k3", "t" + i), OpDelete("k5"));
                else fixture.Put("k" + (i % 9), "v" + i);
                if (i % 500 == 0) await Task.Delay(5);
            }
        });
        var received = new List<Etcdserverpb.WatchResponse>();
        var sawUnsynced = false;
        while (!writer.IsCompleted || stream.Responses.TryPeek(out _))
        {
            sawUnsynced |= fixture.Hub.UnsyncedWatcherCount > 0;
            if (stream.Responses.TryRead(out var r)) received.Add(r);
            else await Task.Delay(1);
            if (received.Count % 50 == 0) await Task.Delay(2); // slow
        }
        await writer;
        stream.RequestProgress();
        received.AddRange(await stream.Responses.ReadUntilAsync(r => r.WatchId == WatchHub.StreamProgressWatchId));

        var expectedPrefix = fixture.History.Where(e => e.Kv.Key.ToStringUtf8().StartsWith('k')).Select(ResponseReading.Describe);
        Assert.Equal(expectedPrefix, received.Where(r => r.WatchId == prefix).SelectMany(r => r.Events).Select(ResponseReading.Describe));
        var singleEvents = received.Where(r => r.WatchId == single).SelectMany(r => r.Events).ToList();
        Assert.Equal(fixture.History.Where(e => e.Kv.Key.ToStringUtf8() == "k3").Select(ResponseReading.Describe), singleEvents.Select(ResponseReading.Describe));
        Assert.All(singleEvents.Skip(1), e => Assert.NotNull(e.PrevKv));
        Assert.Equal(0, fixture.Hub.UnsyncedWatcherCount);
        Assert.True(sawUnsynced, "the reader was never slow enough to exercise catch-up");
    }

    [Fact]
    public async Task Behind_watch_compacted_away_is_canceled_with_compact_revision()
    {
        using var fixture = new WatchFixture(new WatchHubOptions { MaxPendingResponses = 2 });
        using var stream = fixture.Hub.OpenStream();
        var id = stream.Create(WatchKey("a"));
        for (var i = 0; i < 10; i++) fixture.Put("a", "v" + i);
        Assert.Equal(1, fixture.Hub.UnsyncedWatcherCount);
        fixture.Compact(9);
        var responses = await stream.Responses.ReadUntilAsync(r => r.Canceled);
        var canceled = responses[^1];
        Assert.Equal(id, canceled.WatchId);
        Assert.Equal(9, canceled.CompactRevision);
        Assert.Equal(["Put a@2=v0"], responses.SelectMany(r => r.Events).Select(ResponseReading.Describe));
    }
}
