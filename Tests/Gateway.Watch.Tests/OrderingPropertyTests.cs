using Coordinator.Gateway.Watch;
using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;
using Xunit;
using static Coordinator.Tests.Gateway.Watch.WatchFixture;

namespace Coordinator.Tests.Gateway.Watch;

/// <summary>
/// Random writes with random watches created while writing, read by readers of random speed through a small
/// buffer: every watch must receive exactly the filtered history from its start, in order, once.
/// </summary>
public sealed class OrderingPropertyTests
{
    private sealed record Spec(WatchCreateRequest Request, Func<string, bool> Selects);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public async Task Each_watch_receives_exactly_its_filtered_history(int seed)
    {
        var random = new Random(seed);
        using var fixture = new WatchFixture(new WatchHubOptions { MaxPendingResponses = 6, CatchUpBatchEvents = 1 + random.Next(40) });
        for (var i = 0; i < 200; i++) ApplyRandom(fixture, random);

        var streams = Enumerable.Range(0, 4).Select(_ => fixture.Hub.OpenStream()).ToArray();
        var readers = streams.Select((s, n) => Task.Run(() => ReadAllAsync(s, new Random(seed * 31 + n), slow: n % 2 == 0))).ToArray();
        var created = new List<(WatchStream Stream, long Id, Spec Spec, long Start)>();

        var writeRandom = new Random(seed * 7);
        var writer = Task.Run(() => { for (var i = 0; i < 1500; i++) ApplyRandom(fixture, writeRandom); });
        while (!writer.IsCompleted || created.Count < 10)
        {
            var spec = RandomSpec(random, fixture.Store.CurrentRevision);
            var stream = streams[random.Next(streams.Length)];
            var before = fixture.Store.CurrentRevision;
            var id = stream.Create(spec.Request);
            Assert.NotEqual(-1, id);
            created.Add((stream, id, spec, spec.Request.StartRevision == 0 ? -before : spec.Request.StartRevision));
            await Task.Delay(random.Next(3));
        }
        await writer;
        foreach (var stream in streams) stream.RequestProgress();
        var received = await Task.WhenAll(readers);

        foreach (var (stream, id, spec, start) in created)
        {
            var responses = received[Array.IndexOf(streams, stream)];
            var createdResponse = responses.Single(r => r.WatchId == id && r.Created);
            // start 0 means after the revision the created response names (which the store had at creation).
            var from = start > 0 ? start : createdResponse.Header.Revision + 1;
            Assert.True(from >= -start + 1);
            var expected = fixture.History
                .Where(e => e.Kv.ModRevision >= from && spec.Selects(e.Kv.Key.ToStringUtf8()))
                .Where(e => e.Type == Event.Types.EventType.Put
                    ? !spec.Request.Filters.Contains(WatchCreateRequest.Types.FilterType.Noput)
                    : !spec.Request.Filters.Contains(WatchCreateRequest.Types.FilterType.Nodelete))
                .Select(e => Describe(e, spec.Request.PrevKv));
            var createdAt = responses.IndexOf(createdResponse);
            var mine = responses.Where(r => r.WatchId == id).ToList();
            Assert.Same(createdResponse, mine[0]);
            Assert.All(mine.Skip(1), r => Assert.NotEmpty(r.Events));
            Assert.Equal(expected, mine.SelectMany(r => r.Events).Select(e => Describe(e, true)));
        }
        Assert.Equal(0, fixture.Hub.UnsyncedWatcherCount);
        foreach (var stream in streams) stream.Dispose();
    }

    private static string Describe(Event e, bool withPrevKv) =>
        ResponseReading.Describe(e) + (withPrevKv && e.PrevKv is not null ? $" prev={e.PrevKv.Value.ToStringUtf8()}@{e.PrevKv.ModRevision}" : "");

    private static async Task<List<WatchResponse>> ReadAllAsync(WatchStream stream, Random random, bool slow)
    {
        var read = new List<WatchResponse>();
        while (true)
        {
            var response = await stream.Responses.NextAsync();
            read.Add(response);
            if (response.WatchId == WatchHub.StreamProgressWatchId) return read;
            if (slow && random.Next(20) == 0) await Task.Delay(1);
        }
    }

    private static string K(int n) => "k" + n;

    private static void ApplyRandom(WatchFixture fixture, Random random)
    {
        switch (random.Next(10))
        {
            case < 6:
                fixture.Put(K(random.Next(10)), "v" + random.Next(1000));
                break;
            case 6:
                fixture.Delete(K(random.Next(10)));
                break;
            case 7:
                var a = random.Next(10);
                fixture.Delete(K(a), K(a + random.Next(1, 4)));
                break;
            default:
                var keys = Enumerable.Range(0, 10).OrderBy(_ => random.Next()).Take(1 + random.Next(4)).ToArray();
                fixture.Txn(keys.Select(k => random.Next(3) == 0 ? OpDelete(K(k)) : OpPut(K(k), "t" + random.Next(1000))).ToArray());
                break;
        }
    }

    private static Spec RandomSpec(Random random, long currentRevision)
    {
        WatchCreateRequest request;
        Func<string, bool> selects;
        switch (random.Next(5))
        {
            case 0:
                var key = K(random.Next(10));
                request = WatchKey(key);
                selects = k => k == key;
                break;
            case 1:
                request = WatchPrefix("k1");
                selects = k => k.StartsWith("k1", StringComparison.Ordinal);
                break;
            case 2:
                var (from, to) = (K(random.Next(5)), K(5 + random.Next(5)));
                request = WatchKey(from, to);
                selects = k => string.CompareOrdinal(k, from) >= 0 && string.CompareOrdinal(k, to) < 0;
                break;
            case 3:
                var start = K(random.Next(10));
                request = new WatchCreateRequest { Key = B(start), RangeEnd = ByteString.CopyFrom(0) };
                selects = k => string.CompareOrdinal(k, start) >= 0;
                break;
            default:
                request = WatchPrefix("k");
                selects = _ => true;
                break;
        }
        request.StartRevision = random.Next(3) == 0 ? 0 : 1 + random.NextInt64(currentRevision + 2);
        request.PrevKv = random.Next(2) == 0;
        if (random.Next(5) == 0) request.Filters.Add(WatchCreateRequest.Types.FilterType.Noput);
        else if (random.Next(5) == 0) request.Filters.Add(WatchCreateRequest.Types.FilterType.Nodelete);
        return new Spec(request, selects);
    }
}
