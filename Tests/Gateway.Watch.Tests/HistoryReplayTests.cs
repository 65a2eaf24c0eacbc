using Coordinator.Gateway.Watch;
using Etcdserverpb;
using Xunit;
using static Coordinator.Tests.Gateway.Watch.WatchFixture;

namespace Coordinator.Tests.Gateway.Watch;

public sealed class HistoryReplayTests
{
    [Fact]
    public async Task Past_start_replays_history_then_continues_live()
    {
        using var fixture = new WatchFixture();
        var first = fixture.Put("a", "1");
        fixture.Put("b", "x");
        fixture.Put("a", "2");
        fixture.Delete("a");
        using var stream = fixture.Hub.OpenStream();
        var id = stream.Create(WatchKey("a", start: first));
        Assert.True((await stream.Responses.NextAsync()).Created);
        var live = fixture.Put("a", "3");
        var events = await stream.Responses.EventsThroughAsync(id, live);
        Assert.Equal(["Put a@2=1", "Put a@4=2", "Delete a@5=", "Put a@6=3"], events.Select(ResponseReading.Describe));
    }

    [Fact]
    public async Task Start_in_the_future_waits_for_that_revision()
    {
        using var fixture = new WatchFixture();
        using var stream = fixture.Hub.OpenStream();
        var id = stream.Create(WatchKey("a", start: 4));
        await stream.Responses.NextAsync();
        fixture.Put("a", "2");
        fixture.Put("a", "3");
        var revision = fixture.Put("a", "4");
        var events = await stream.Responses.EventsThroughAsync(id, revision);
        Assert.Equal(["Put a@4=4"], events.Select(ResponseReading.Describe));
    }

    [Fact]
    public async Task Catch_up_interleaved_with_writes_has_no_gap_and_no_duplicate()
    {
        using var fixture = new WatchFixture(new WatchHubOptions { CatchUpBatchEvents = 37 });
        for (var i = 0; i < 3000; i++) fixture.Put("k/" + (i % 50), "h" + i);

        using var stream = fixture.Hub.OpenStream();
        var ids = new[] { stream.Create(WatchPrefix("k/", start: 1)), stream.Create(WatchKey("k/7", start: 100)), stream.Create(WatchKey("k/", "k/3", start: 2500)) };
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
                if (i % 10 == 0) fixture.Txn(OpPut("k/1", "t" + i), OpPut("k/2", "t" + i), OpDelete("k/7"));
                else fixture.Put("k/" + (i % 50), "l" + i);
        });
        await writer;
        var last = fixture.Store.CurrentRevision;
        stream.RequestProgress();
        var responses = await stream.Responses.ReadUntilAsync(r => r.WatchId == WatchHub.StreamProgressWatchId);
        Assert.True(responses[^1].Header.Revision >= last);

        var starts = new[] { 1L, 100, 2500 };
        var ranges = new Func<string, bool>[] { k => k.StartsWith("k/"), k => k == "k/7", k => string.CompareOrdinal(k, "k/") >= 0 && string.CompareOrdinal(k, "k/3") < 0 };
        for (var w = 0; w < ids.Length; w++)
        {
            var expected = fixture.History.Where(e => e.Kv.ModRevision >= starts[w] && ranges[w](e.Kv.Key.ToStringUtf8())).Select(ResponseReading.Describe);
            var received = responses.Where(r => r.WatchId == ids[w]).SelectMany(r => r.Events).Select(ResponseReading.Describe);
            Assert.Equal(expected, received);
        }
        Assert.Equal(0, fixture.Hub.UnsyncedWatcherCount);
    }

    [Fact]
    public async Task Revision_larger_than_the_catch_up_batch_is_not_split()
    {
        using var fixture = new WatchFixture(new WatchHubOptions { CatchUpBatchEvents = 3 });
        var start = fixture.Txn(Enumerable.Range(0, 10).Select(i => OpPut("t" + i, "v")).ToArray());
        fixture.Put("t0", "after");
        using var stream = fixture.Hub.OpenStream();
        var id = stream.Create(WatchPrefix("t", start: start));
        var responses = await stream.Responses.ReadUntilAsync(r => r.Events.Any(e => e.Kv.ModRevision == start + 1));
        var withTxn = responses.Where(r => r.WatchId == id && r.Events.Any(e => e.Kv.ModRevision == start)).ToList();
        Assert.Equal(10, Assert.Single(withTxn).Events.Count(e => e.Kv.ModRevision == start));
    }

    [Fact]
    public async Task Compacted_start_is_created_then_canceled_with_compact_revision()
    {
        using var fixture = new WatchFixture();
        for (var i = 0; i < 5; i++) fixture.Put("a", "v" + i);
        fixture.Compact(4);
        using var stream = fixture.Hub.OpenStream();
        var id = stream.Create(WatchKey("a", start: 2));
        var created = await stream.Responses.NextAsync();
        Assert.True(created.Created);
        Assert.False(created.Canceled);
        Assert.Equal(id, created.WatchId);
        var canceled = await stream.Responses.NextAsync();
        Assert.True(canceled.Canceled);
        Assert.Equal(id, canceled.WatchId);
        Assert.Equal(4, canceled.CompactRevision);
        Assert.Empty(canceled.Events);
        Assert.Equal(0, fixture.Hub.WatcherCount);
    }

    [Fact]
    public async Task Start_at_the_compact_revision_still_replays()
    {
        using var fixture = new WatchFixture();
        for (var i = 0; i < 5; i++) fixture.Put("a", "v" + i);
        fixture.Compact(4);
        using var stream = fixture.Hub.OpenStream();
        var id = stream.Create(WatchKey("a", start: 4));
        var events = await stream.Responses.EventsThroughAsync(id, 6);
        Assert.Equal(["Put a@4=v2", "Put a@5=v3", "Put a@6=v4"], events.Select(ResponseReading.Describe));
    }
}
