using System.Diagnostics;
using Coordinator.Gateway.Watch;
using Etcdserverpb;
using Google.Protobuf;
using Xunit;
using Xunit.Abstractions;
using static Coordinator.Tests.Gateway.Watch.WatchFixture;

namespace Coordinator.Tests.Gateway.Watch;

public sealed class ScaleTests(ITestOutputHelper output)
{
    [Fact]
    public void Fifty_thousand_watchers_are_indexed_not_scanned()
    {
        // Nothing is read during the writes, so the buffers must hold them all to stay synced.
        using var fixture = new WatchFixture(new WatchHubOptions { MaxPendingResponses = 1_000_000 });
        var streams = Enumerable.Range(0, 100).Select(_ => fixture.Hub.OpenStream()).ToArray();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 50_000; i++)
        {
            var stream = streams[i % streams.Length];
            var request = (i % 10) switch
            {
                < 6 => WatchKey($"key/{i:00000}"),                                   // 30k single keys
                < 9 => WatchPrefix($"key/{i / 100:000}"),                             // 15k prefixes of 100 keys each
                _ => i % 1000 == 9 ? new WatchCreateRequest { Key = B("key/"), RangeEnd = ByteString.CopyFrom(0) } // 50 from-key
                    : WatchKey($"other/{i}"),
            };
            Assert.NotEqual(-1, stream.Create(request));
        }
        output.WriteLine($"create 50k: {clock.ElapsedMilliseconds} ms");
        Assert.Equal(50_000, fixture.Hub.WatcherCount);
        foreach (var stream in streams) while (stream.Responses.TryRead(out _)) { }

        clock.Restart();
        const int writes = 2_000;
        for (var i = 0; i < writes; i++) fixture.Put($"key/{i * 25 % 50_000:00000}", "v");
        var publishMs = clock.ElapsedMilliseconds;
        output.WriteLine($"{writes} puts fanned out to 50k watchers: {publishMs} ms");

        long delivered = 0;
        foreach (var stream in streams)
            while (stream.Responses.TryRead(out var r)) delivered += r.Events.Count;

        // Each put is seen by its single-key watch (if any), the prefix watches of its 100-key block, and the from-key watches.
        long expected = 0;
        for (var i = 0; i < writes; i++)
        {
            var n = i * 25 % 50_000;
            expected += (n % 10 < 6 ? 1 : 0) + Enumerable.Range(n / 100 * 100, 100).Count(j => j % 10 is >= 6 and < 9) + 50;
        }
        Assert.Equal(expected, delivered);
        Assert.Equal(0, fixture.Hub.UnsyncedWatcherCount);
        Assert.True(publishMs < 20_000, $"fan-out took {publishMs} ms");

        clock.Restart();
        foreach (var stream in streams) stream.Dispose();
        output.WriteLine($"dispose: {clock.ElapsedMilliseconds} ms");
        Assert.Equal(0, fixture.Hub.WatcherCount);
    }

    [Fact]
    public async Task Fifty_thousand_watchers_of_one_key_each_get_the_event()
    {
        using var fixture = new WatchFixture();
        var streams = Enumerable.Range(0, 50).Select(_ => fixture.Hub.OpenStream()).ToArray();
        for (var i = 0; i < 50_000; i++) streams[i % streams.Length].Create(WatchKey("hot"));
        foreach (var stream in streams) while (stream.Responses.TryRead(out _)) { }
        var revision = fixture.Put("hot", "v");
        var total = 0;
        foreach (var stream in streams)
        {
            var responses = await stream.Responses.ReadUntilAsync(_ => !stream.Responses.TryPeek(out _));
            total += responses.Count(r => r.Events.Count == 1 && r.Events[0].Kv.ModRevision == revision);
        }
        Assert.Equal(50_000, total);
    }
}
