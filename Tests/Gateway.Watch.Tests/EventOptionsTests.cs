using Coordinator.Gateway.Watch;
using Coordinator.Grains.Store;
using Etcdserverpb;
using Google.Protobuf;
using Xunit;
using static Coordinator.Tests.Gateway.Watch.WatchFixture;

namespace Coordinator.Tests.Gateway.Watch;

public sealed class EventOptionsTests
{
    [Fact]
    public async Task Prev_kv_is_sent_only_when_asked()
    {
        using var fixture = new WatchFixture();
        fixture.Put("a", "old");
        using var stream = fixture.Hub.OpenStream();
        var with = stream.Create(WatchKey("a", prevKv: true));
        var without = stream.Create(WatchKey("a"));
        fixture.Put("a", "new");
        var revision = fixture.Delete("a");
        var replay = stream.Create(WatchKey("a", start: 3, prevKv: true));
        var responses = await stream.Responses.ReadUntilAsync(r => r.WatchId == replay && r.Events.Any(e => e.Kv.ModRevision == revision));

        var withEvents = responses.Where(r => r.WatchId == with).SelectMany(r => r.Events).ToList();
        Assert.Equal(["old", "new"], withEvents.Select(e => e.PrevKv.Value.ToStringUtf8()));
        var withoutEvents = responses.Where(r => r.WatchId == without).SelectMany(r => r.Events).ToList();
        Assert.Equal(2, withoutEvents.Count);
        Assert.All(withoutEvents, e => Assert.Null(e.PrevKv));
        var replayed = responses.Where(r => r.WatchId == replay).SelectMany(r => r.Events).ToList();
        Assert.Equal(["old", "new"], replayed.Select(e => e.PrevKv.Value.ToStringUtf8()));
        Assert.NotNull(fixture.History[^1].PrevKv); // the shared event was not stripped
    }

    [Fact]
    public async Task Filters_drop_puts_or_deletes_and_never_send_empty_responses()
    {
        using var fixture = new WatchFixture();
        using var stream = fixture.Hub.OpenStream();
        var noPut = WatchKey("a", id: 1);
        noPut.Filters.Add(WatchCreateRequest.Types.FilterType.Noput);
        var noDelete = WatchKey("a", id: 2);
        noDelete.Filters.Add(WatchCreateRequest.Types.FilterType.Nodelete);
        stream.Create(noPut);
        stream.Create(noDelete);
        fixture.Put("a", "1");
        fixture.Delete("a");
        fixture.Put("a", "2");
        stream.RequestProgress();
        var responses = await stream.Responses.ReadUntilAsync(r => r.WatchId == WatchHub.StreamProgressWatchId);
        Assert.Equal(["Delete a@3="], responses.Where(r => r.WatchId == 1).SelectMany(r => r.Events).Select(ResponseReading.Describe));
        Assert.Equal(["Put a@2=1", "Put a@4=2"], responses.Where(r => r.WatchId == 2).SelectMany(r => r.Events).Select(ResponseReading.Describe));
        Assert.All(responses.Where(r => r.WatchId is 1 or 2 && !r.Created), r => Assert.NotEmpty(r.Events));
    }

    [Fact]
    public async Task Events_of_one_txn_arrive_in_one_response()
    {
        using var fixture = new WatchFixture();
        using var stream = fixture.Hub.OpenStream();
        var id = stream.Create(WatchPrefix("t"));
        await stream.Responses.NextAsync();
        var revision = fixture.Txn(Enumerable.Range(0, 100).Select(i => OpPut($"t{i:000}", new string('x', 1000))).ToArray());
        var response = await stream.Responses.NextAsync();
        Assert.Equal(id, response.WatchId);
        Assert.False(response.Fragment);
        Assert.Equal(100, response.Events.Count);
        Assert.All(response.Events, e => Assert.Equal(revision, e.Kv.ModRevision));
        Assert.Equal(revision, response.Header.Revision);
    }

    [Fact]
    public async Task Fragment_splits_a_large_txn_under_the_limit()
    {
        using var fixture = new WatchFixture(new WatchHubOptions { MaxResponseBytes = 10_000 });
        using var stream = fixture.Hub.OpenStream();
        var request = WatchPrefix("t");
        request.Fragment = true;
        var id = stream.Create(request);
        var small = stream.Create(WatchPrefix("t"));
        await stream.Responses.ReadUntilAsync(r => r.WatchId == small);
        var revision = fixture.Txn(Enumerable.Range(0, 100).Select(i => OpPut($"t{i:000}", new string('x', 1000))).ToArray());

        var fragments = await stream.Responses.ReadUntilAsync(r => r.WatchId == id && !r.Fragment);
        var mine = fragments.Where(r => r.WatchId == id).ToList();
        Assert.True(mine.Count > 5);
        Assert.All(mine[..^1], r => Assert.True(r.Fragment));
        Assert.All(mine, r => Assert.True(r.CalculateSize() < 10_000));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"t{i:000}"), mine.SelectMany(r => r.Events).Select(e => e.Kv.Key.ToStringUtf8()));
        var whole = fragments.Concat(await stream.Responses.ReadUntilAsync(r => r.WatchId == small)).Where(r => r.WatchId == small).ToList();
        Assert.Equal(100, Assert.Single(whole).Events.Count);
    }

    [Fact]
    public async Task Fragment_is_not_used_below_the_limit()
    {
        using var fixture = new WatchFixture(new WatchHubOptions { MaxResponseBytes = 1_000_000 });
        using var stream = fixture.Hub.OpenStream();
        var request = WatchPrefix("t");
        request.Fragment = true;
        var id = stream.Create(request);
        await stream.Responses.NextAsync();
        fixture.Txn(OpPut("t1", "a"), OpPut("t2", "b"));
        var response = await stream.Responses.NextAsync();
        Assert.Equal(id, response.WatchId);
        Assert.False(response.Fragment);
        Assert.Equal(2, response.Events.Count);
    }

    [Fact]
    public async Task Default_fragment_limit_is_the_store_max_request_bytes()
    {
        using var fixture = new WatchFixture(storeOptions: new StoreOptions { MaxRequestBytes = 4096 });
        for (var i = 0; i < 10; i++) fixture.Put("t" + i, new string('x', 1000));
        using var stream = fixture.Hub.OpenStream();
        var request = new WatchCreateRequest { Key = B("t"), RangeEnd = B("u"), Fragment = true, PrevKv = true };
        var id = stream.Create(request);
        await stream.Responses.NextAsync();
        fixture.Delete("t", "u"); // a small request whose events, with prev_kv, are ~10 KB
        var fragments = await stream.Responses.ReadUntilAsync(r => !r.Fragment);
        Assert.True(fragments.Count >= 3);
        Assert.All(fragments, r => Assert.Equal(id, r.WatchId));
        Assert.Equal(10, fragments.Sum(r => r.Events.Count));
    }
}
