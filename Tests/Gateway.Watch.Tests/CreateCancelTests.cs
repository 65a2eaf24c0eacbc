using Coordinator.Gateway.Watch;
using Xunit;
using static Coordinator.Tests.Gateway.Watch.WatchFixture;

namespace Coordinator.Tests.Gateway.Watch;

public sealed class CreateCancelTests
{
    [Fact]
    public async Task Created_response_comes_first_with_the_store_revision()
    {
        using var fixture = new WatchFixture();
        fixture.Put("a", "1");
        using var stream = fixture.Hub.OpenStream();
        var id = stream.Create(WatchKey("a"));
        var created = await stream.Responses.NextAsync();
        Assert.True(created.Created);
        Assert.False(created.Canceled);
        Assert.Equal(id, created.WatchId);
        Assert.Equal(2, created.Header.Revision);
        Assert.Empty(created.Events);
    }

    [Fact]
    public async Task Start_revision_zero_means_from_the_next_revision()
    {
        using var fixture = new WatchFixture();
        fixture.Put("a", "old");
        using var stream = fixture.Hub.OpenStream();
        var id = stream.Create(WatchKey("a"));
        await stream.Responses.NextAsync();
        var revision = fixture.Put("a", "new");
        var events = await stream.Responses.EventsThroughAsync(id, revision);
        Assert.Equal("new", Assert.Single(events).Kv.Value.ToStringUtf8());
    }

    [Fact]
    public async Task Automatic_ids_start_at_zero_and_skip_ids_in_use()
    {
        using var fixture = new WatchFixture();
        using var stream = fixture.Hub.OpenStream();
        Assert.Equal(0, stream.Create(WatchKey("a")));
        Assert.Equal(1, stream.Create(WatchKey("a", id: 1)));
        Assert.Equal(2, stream.Create(WatchKey("a")));
        Assert.Equal(7, stream.Create(WatchKey("a", id: 7)));
        Assert.Equal(3, stream.Create(WatchKey("a")));
        var created = await stream.Responses.ReadUntilAsync(r => r.WatchId == 3);
        Assert.Equal([0L, 1, 2, 7, 3], created.Select(r => r.WatchId));
        Assert.All(created, r => Assert.True(r.Created));
    }

    [Fact]
    public async Task Duplicate_client_id_is_refused_like_etcd()
    {
        using var fixture = new WatchFixture();
        using var stream = fixture.Hub.OpenStream();
        Assert.Equal(5, stream.Create(WatchKey("a", id: 5)));
        Assert.Equal(-1, stream.Create(WatchKey("b", id: 5)));
        await stream.Responses.NextAsync();
        var refused = await stream.Responses.NextAsync();
        Assert.True(refused.Created);
        Assert.True(refused.Canceled);
        Assert.Equal(-1, refused.WatchId);
        Assert.Equal(WatchCancelReasons.DuplicateId, refused.CancelReason);
        Assert.Equal(1, fixture.Hub.WatcherCount);
    }

    [Fact]
    public async Task Same_client_id_on_two_streams_is_fine()
    {
        using var fixture = new WatchFixture();
        using var one = fixture.Hub.OpenStream();
        using var two = fixture.Hub.OpenStream();
        Assert.Equal(5, one.Create(WatchKey("a", id: 5)));
        Assert.Equal(5, two.Create(WatchKey("a", id: 5)));
        var revision = fixture.Put("a", "v");
        Assert.Single(await one.Responses.EventsThroughAsync(5, revision));
        Assert.Single(await two.Responses.EventsThroughAsync(5, revision));
    }

    [Fact]
    public async Task Cancel_answers_canceled_and_stops_events()
    {
        using var fixture = new WatchFixture();
        using var stream = fixture.Hub.OpenStream();
        var id = stream.Create(WatchKey("a"));
        await stream.Responses.NextAsync();
        fixture.Put("a", "1");
        Assert.True(stream.Cancel(id));
        fixture.Put("a", "2");
        var events = await stream.Responses.NextAsync();
        Assert.Single(events.Events);
        var canceled = await stream.Responses.NextAsync();
        Assert.True(canceled.Canceled);
        Assert.Equal(id, canceled.WatchId);
        Assert.Equal(2, canceled.Header.Revision);
        await stream.Responses.AssertQuietAsync();
        Assert.Equal(0, fixture.Hub.WatcherCount);
    }

    [Fact]
    public async Task Cancel_of_unknown_id_is_ignored()
    {
        using var fixture = new WatchFixture();
        using var stream = fixture.Hub.OpenStream();
        Assert.False(stream.Cancel(42));
        await stream.Responses.AssertQuietAsync(50);
    }

    [Fact]
    public async Task Canceled_id_can_be_reused()
    {
        using var fixture = new WatchFixture();
        using var stream = fixture.Hub.OpenStream();
        stream.Create(WatchKey("a", id: 3));
        stream.Cancel(3);
        Assert.Equal(3, stream.Create(WatchKey("b", id: 3)));
        var revision = fixture.Put("b", "v");
        var events = await stream.Responses.EventsThroughAsync(3, revision);
        Assert.Equal("b", Assert.Single(events).Kv.Key.ToStringUtf8());
    }

    [Fact]
    public async Task Dispose_removes_every_watch_and_completes_the_reader()
    {
        using var fixture = new WatchFixture();
        var stream = fixture.Hub.OpenStream();
        for (var i = 0; i < 10; i++) stream.Create(WatchKey("k" + i));
        Assert.Equal(10, fixture.Hub.WatcherCount);
        stream.Dispose();
        Assert.Equal(0, fixture.Hub.WatcherCount);
        fixture.Put("k1", "v");
        var drained = 0;
        await foreach (var _ in stream.Responses.ReadAllAsync()) drained++;
        Assert.Equal(10, drained);
        Assert.Equal(-1, stream.Create(WatchKey("a")));
    }

    [Fact]
    public async Task Handle_dispatches_watch_requests()
    {
        using var fixture = new WatchFixture();
        using var stream = fixture.Hub.OpenStream();
        stream.Handle(new Etcdserverpb.WatchRequest { CreateRequest = WatchKey("a", id: 9) });
        stream.Handle(new Etcdserverpb.WatchRequest { CancelRequest = new Etcdserverpb.WatchCancelRequest { WatchId = 9 } });
        stream.Handle(new Etcdserverpb.WatchRequest { ProgressRequest = new Etcdserverpb.WatchProgressRequest() });
        var responses = await stream.Responses.ReadUntilAsync(r => r.WatchId == WatchHub.StreamProgressWatchId);
        Assert.Collection(responses,
            r => Assert.True(r.Created),
            r => Assert.True(r.Canceled),
            r => Assert.Equal(WatchHub.StreamProgressWatchId, r.WatchId));
    }
}
