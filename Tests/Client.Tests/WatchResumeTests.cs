using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Coordinator.Tests.Integration;

namespace Coordinator.Client.Tests;

/// <summary>A watch survives member kills, restarts and leader changes without gaps or duplicates.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WatchResumeTests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new(3);

    public Task InitializeAsync() => _cluster.StartAsync();

    public Task DisposeAsync()
    {
        _cluster.Dispose();
        return Task.CompletedTask;
    }

    private CoordinatorClient NewClient() => new(new CoordinatorClientOptions
    {
        Endpoints = _cluster.Members.Select(m => m.Endpoint).ToList(),
        RequestTimeout = TimeSpan.FromSeconds(10),
        Retry = new RetryPolicy { UnhealthyPeriod = TimeSpan.FromSeconds(1) },
    });

    [Fact]
    public async Task Watch_delivers_every_acknowledged_write_exactly_once_across_kills_restarts_and_leader_change()
    {
        long resumes = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Coordinator.Client" && instrument.Name == "coordinator.client.watch.resumes") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref resumes, value));
        listener.Start();
        using var watcher = NewClient();
        using var writer = NewClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var start = (await writer.PutAsync("wr-start", "x")).Header.Revision + 1;

        var delivered = new ConcurrentQueue<WatchEvent>();
        using var stopWatch = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var watching = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in watcher.WatchAsync(KeyRange.Prefix("wr/"), start, ct: stopWatch.Token))
                    delivered.Enqueue(e);
            }
            catch (OperationCanceledException) when (stopWatch.IsCancellationRequested) { }
        });

        var acknowledged = new ConcurrentDictionary<string, long>();
        var attempted = new ConcurrentDictionary<string, bool>();
        using var stopWriting = new CancellationTokenSource();
        var writing = Task.Run(async () =>
        {
            for (var i = 0; !stopWriting.IsCancellationRequested; i++)
            {
                var key = $"wr/{i:D6}";
                attempted[key] = true;
                try
                {
                    var put = await writer.PutAsync(key, i.ToString());
                    acknowledged[key] = put.Header.Revision;
                }
                catch (CoordinatorException)
                {
                    await Task.Delay(50); // outcome unknown: the key may or may not show up in the watch
                }
                await Task.Delay(5);
            }
        });

        await Task.Delay(1000);
        // Kill and restart every member in turn: whichever member the watch is on dies once (the balancer's choice is
        // not the test's to predict), and one of them is the leader, so the leader changes too.
        foreach (var member in _cluster.Members)
        {
            member.Kill();
            await _cluster.WaitForLeaderAsync();
            await Task.Delay(1000);
            member.Start();
            await _cluster.WaitForLeaderAsync();
            await Task.Delay(1000);
        }
        // Enough writes for the checks below, some of them after the last restart, however slow a loaded machine
        // made the disruptions (a put caught by a leader's death waits out its timeout).
        var afterRestart = acknowledged.Count + 10;
        while (acknowledged.Count < Math.Max(21, afterRestart) && !timeout.IsCancellationRequested)
            await Task.Delay(50);
        await stopWriting.CancelAsync();
        await writing;

        // Wait until every acknowledged write has been delivered.
        var lastAcked = acknowledged.Values.Max();
        while (!delivered.Any(e => e.Revision >= lastAcked) && !timeout.IsCancellationRequested)
            await Task.Delay(100);
        await stopWatch.CancelAsync();
        await watching;

        var events = delivered.ToList();
        Assert.True(Interlocked.Read(ref resumes) > 0, "the watch was never broken: the test did not exercise a resume");
        Assert.True(acknowledged.Count > 20, $"only {acknowledged.Count} writes acknowledged");
        // Exactly once, in revision order.
        Assert.Equal(events.Count, events.Select(e => e.Key).Distinct().Count());
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Revision < p.Second.Revision), "revisions out of order");
        // Every acknowledged write is there, at the revision the write reported.
        var byKey = events.ToDictionary(e => e.Key, e => e.Revision);
        foreach (var (key, revision) in acknowledged)
        {
            Assert.True(byKey.TryGetValue(key, out var seen), $"acknowledged {key}@{revision} never delivered");
            Assert.Equal(revision, seen);
        }
        // Nothing delivered that was never written.
        Assert.All(events, e => Assert.True(attempted.ContainsKey(e.Key), e.ToString()));
    }
}
