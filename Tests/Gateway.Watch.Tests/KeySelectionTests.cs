using Coordinator.Gateway.Watch;
using Etcdserverpb;
using Google.Protobuf;
using Xunit;
using static Coordinator.Tests.Gateway.Watch.WatchFixture;

namespace Coordinator.Tests.Gateway.Watch;

public sealed class KeySelectionTests
{
    private static async Task<string[]> KeysSeenAsync(WatchCreateRequest request)
    {
        using var fixture = new WatchFixture();
        using var stream = fixture.Hub.OpenStream();
        var id = stream.Create(request);
        Assert.True((await stream.Responses.NextAsync()).Created);
        foreach (var key in new[] { "a", "foo", "foo/1", "foo0", "fop", "g", "zz" }) fixture.Put(key, "v");
        var last = fixture.Put("~end", "v"); // '~' sorts after the letters: seen only by from-key watches
        var marker = fixture.Hub.PublishedRevision;
        Assert.Equal(last, marker);
        stream.RequestProgress();
        var responses = await stream.Responses.ReadUntilAsync(r => r.WatchId == WatchHub.StreamProgressWatchId);
        return responses.Where(r => r.WatchId == id).SelectMany(r => r.Events).Select(e => e.Kv.Key.ToStringUtf8()).ToArray();
    }

    [Fact]
    public async Task Single_key_sees_only_that_key() =>
        Assert.Equal(["foo"], await KeysSeenAsync(WatchKey("foo")));

    [Fact]
    public async Task Prefix_sees_keys_starting_with_it() =>
        Assert.Equal(["foo", "foo/1", "foo0"], await KeysSeenAsync(WatchPrefix("foo")));

    [Fact]
    public async Task Range_is_half_open() =>
        Assert.Equal(["foo", "foo/1", "foo0", "fop"], await KeysSeenAsync(WatchKey("f", "g")));

    [Fact]
    public async Task From_key_sees_every_key_at_or_after_it() =>
        Assert.Equal(["g", "zz", "~end"], await KeysSeenAsync(new WatchCreateRequest { Key = B("g"), RangeEnd = ByteString.CopyFrom(0) }));

    [Fact]
    public async Task Empty_key_from_key_watches_everything() =>
        Assert.Equal(["a", "foo", "foo/1", "foo0", "fop", "g", "zz", "~end"],
            await KeysSeenAsync(new WatchCreateRequest { RangeEnd = ByteString.CopyFrom(0) }));

    [Fact]
    public async Task Prefix_ending_in_0xff_is_an_ordinary_range()
    {
        using var fixture = new WatchFixture();
        using var stream = fixture.Hub.OpenStream();
        var key = ByteString.CopyFrom(0x61, 0xff);
        var id = stream.Create(new WatchCreateRequest { Key = key, RangeEnd = ByteString.CopyFrom(0x62) });
        await stream.Responses.NextAsync();
        fixture.Apply(new Coordinator.Protocol.Internal.RaftRequest { Put = new PutRequest { Key = ByteString.CopyFrom(0x61, 0xfe), Value = B("no") } });
        var revision = fixture.Apply(new Coordinator.Protocol.Internal.RaftRequest { Put = new PutRequest { Key = ByteString.CopyFrom(0x61, 0xff, 0x01), Value = B("yes") } }).LastRevision;
        var events = await stream.Responses.EventsThroughAsync(id, revision);
        Assert.Equal("yes", Assert.Single(events).Kv.Value.ToStringUtf8());
    }

    [Fact]
    public async Task Empty_range_is_refused_like_etcd()
    {
        using var fixture = new WatchFixture();
        using var stream = fixture.Hub.OpenStream();
        Assert.Equal(-1, stream.Create(WatchKey("b", "a")));
        var refused = await stream.Responses.NextAsync();
        Assert.True(refused.Created);
        Assert.True(refused.Canceled);
        Assert.Equal(-1, refused.WatchId);
        Assert.Equal(WatchCancelReasons.EmptyRange, refused.CancelReason);
        Assert.Equal(0, fixture.Hub.WatcherCount);
    }
}
