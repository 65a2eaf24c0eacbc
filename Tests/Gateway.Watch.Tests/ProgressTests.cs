using Coordinator.Gateway.Watch;
using Xunit;
using static Coordinator.Tests.Gateway.Watch.WatchFixture;

namespace Coordinator.Tests.Gateway.Watch;

public sealed class ProgressTests
{
    [Fact]
    public async Task Progress_request_answers_the_stream_with_watch_id_minus_one()
    {
        using var fixture = new WatchFixture();
        using var stream = fixture.Hub.OpenStream();
        stream.Create(WatchKey("a"));
        await stream.Responses.NextAsync();
        var revision = fixture.Put("b", "v");
        stream.RequestProgress();
        var progress = await stream.Responses.NextAsync();
        Assert.Equal(WatchHub.StreamProgressWatchId, progress.WatchId);
        Assert.Equal(revision, progress.Header.Revision);
        Assert.Empty(progress.Events);
        Assert.False(progress.Created || progress.Canceled);
    }

    [Fact]
    public async Task Progress_request_without_watches_is_answered()
    {
        using var fixture = new WatchFixture();
        fixture.Put("a", "v");
        using var stream = fixture.Hub.OpenStream();
        stream.RequestProgress();
        var progress = await stream.Responses.NextAsync();
        Assert.Equal(WatchHub.StreamProgressWatchId, progress.WatchId);
        Assert.Equal(2, progress.Header.Revision);
    }

    [Fact]
    public async Task Progress_request_waits_until_replay_is_done()
    {
        using var fixture = new WatchFixture(new WatchHubOptions { CatchUpBatchEvents = 10 });
        for (var i = 0; i < 500; i++) fixture.Put("a", "v" + i);
        using var stream = fixture.Hub.OpenStream();
        var id = stream.Create(WatchKey("a", start: 1));
        stream.RequestProgress();
        var responses = await stream.Responses.ReadUntilAsync(r => r.WatchId == WatchHub.StreamProgressWatchId);
        var events = responses.Where(r => r.WatchId == id).SelectMany(r => r.Events).ToList();
        Assert.Equal(500, events.Count);
        Assert.Equal(501, responses[^1].Header.Revision);
    }

    [Fact]
    public async Task Progress_notify_reports_idle_synced_watches_each_interval()
    {
        var clock = new ManualProgressClock();
        using var fixture = new WatchFixture(new WatchHubOptions { TimeProvider = clock });
        using var stream = fixture.Hub.OpenStream();
        var request = WatchKey("a");
        request.ProgressNotify = true;
        var notified = stream.Create(request);
        stream.Create(WatchKey("a"));
        await stream.Responses.ReadUntilAsync(r => r.WatchId == 1);
        var revision = fixture.Put("b", "v");

        clock.Tick();
        var progress = await stream.Responses.NextAsync();
        Assert.Equal(notified, progress.WatchId);
        Assert.Empty(progress.Events);
        Assert.Equal(revision, progress.Header.Revision);
        clock.Tick();
        Assert.Equal(notified, (await stream.Responses.NextAsync()).WatchId);
        await stream.Responses.AssertQuietAsync(50);
    }

    [Fact]
    public async Task Progress_notify_is_elided_after_events()
    {
        var clock = new ManualProgressClock();
        using var fixture = new WatchFixture(new WatchHubOptions { TimeProvider = clock });
        using var stream = fixture.Hub.OpenStream();
        var request = WatchKey("a");
        request.ProgressNotify = true;
        var id = stream.Create(request);
        await stream.Responses.NextAsync();

        fixture.Put("a", "v");
        Assert.Single((await stream.Responses.NextAsync()).Events);
        clock.Tick();
        await stream.Responses.AssertQuietAsync(50);
        clock.Tick();
        var progress = await stream.Responses.NextAsync();
        Assert.Equal(id, progress.WatchId);
        Assert.Empty(progress.Events);
    }

    [Fact]
    public async Task Progress_notify_skips_watches_still_replaying()
    {
        var clock = new ManualProgressClock();
        using var fixture = new WatchFixture(new WatchHubOptions { TimeProvider = clock, MaxPendingResponses = 1 });
        using var stream = fixture.Hub.OpenStream();
        var request = WatchKey("a");
        request.ProgressNotify = true;
        stream.Create(request);
        fixture.Put("a", "1"); // the unread created response fills the buffer: the watch is now behind
        Assert.Equal(1, fixture.Hub.UnsyncedWatcherCount);
        clock.Tick();
        clock.Tick();
        Assert.Equal(1, stream.Responses.Count);
    }
}
