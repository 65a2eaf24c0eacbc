using Coordinator.Client;
using Coordinator.Client.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Coordinator.Recipes.Tests;

/// <summary>Semaphore, reader-writer lock, queue, barrier and the health check on one real member.</summary>
[Trait("Category", "Integration")]
public sealed class PrimitivesTests(CoordinatorServerFixture server) : IClassFixture<CoordinatorServerFixture>, IDisposable
{
    private readonly CoordinatorClient _client = server.NewClient();
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task Semaphore_admits_max_count_holders_and_the_next_when_one_leaves()
    {
        var semaphore = new DistributedSemaphore(_client, Servers.UniqueName("sem"), maxCount: 2);
        var a = await semaphore.AcquireAsync(Long);
        await using var b = await semaphore.AcquireAsync(Long);
        Assert.Null(await semaphore.TryAcquireAsync(Short));
        var waiter = semaphore.AcquireAsync(Long);
        await Task.Delay(200);
        Assert.False(waiter.IsCompleted);
        await a.ReleaseAsync();
        await using var c = await waiter;
        Assert.Null(await semaphore.TryAcquireAsync(Short));
    }

    [Fact]
    public async Task Readers_share_writers_exclude_and_a_waiting_writer_blocks_later_readers()
    {
        var rw = new DistributedReaderWriterLock(_client, Servers.UniqueName("rw"));
        var reader1 = await rw.AcquireReadLockAsync(Long);
        var reader2 = await rw.AcquireReadLockAsync(Long);
        Assert.StartsWith(rw.Prefix + "read/", reader1.Key);
        Assert.Null(await rw.TryAcquireWriteLockAsync(Short));

        var writer = rw.AcquireWriteLockAsync(Long);
        await Task.Delay(200);
        Assert.Null(await rw.TryAcquireReadLockAsync(Short)); // queued behind the waiting writer
        await reader1.ReleaseAsync();
        Assert.False(writer.IsCompleted);
        await reader2.ReleaseAsync();
        var w = await writer;
        Assert.StartsWith(rw.Prefix + "write/", w.Key);
        var laterReader = rw.AcquireReadLockAsync(Long);
        await Task.Delay(200);
        Assert.False(laterReader.IsCompleted);
        await w.ReleaseAsync();
        await using var r = await laterReader;
    }

    [Fact]
    public async Task Queue_is_fifo_each_item_goes_to_one_consumer_and_dequeue_waits_when_empty()
    {
        var queue = new DistributedQueue(_client, Servers.UniqueName("q"));
        Assert.Null(await queue.TryDequeueAsync());
        for (var i = 0; i < 5; i++) await queue.EnqueueAsync("item" + i);
        Assert.Equal("item0", await queue.DequeueAsync());
        Assert.Equal("item1", await queue.TryDequeueAsync());

        // Competing consumers: the remaining three items, each exactly once.
        var taken = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => queue.DequeueAsync()));
        Assert.Equal(new[] { "item2", "item3", "item4" }, taken.Order());

        using var timeout = new CancellationTokenSource(Long);
        var waiting = queue.DequeueAsync(timeout.Token);
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        await queue.EnqueueAsync("late");
        Assert.Equal("late", await waiting);
    }

    [Fact]
    public async Task Barrier_blocks_waiters_until_released()
    {
        var barrier = new DistributedBarrier(_client, Servers.UniqueName("barrier"));
        await barrier.WaitAsync().WaitAsync(Long); // down: passes at once
        Assert.True(await barrier.HoldAsync());
        Assert.False(await barrier.HoldAsync());
        var waiters = Enumerable.Range(0, 3).Select(_ => barrier.WaitAsync()).ToArray();
        await Task.Delay(300);
        Assert.All(waiters, w => Assert.False(w.IsCompleted));
        await barrier.ReleaseAsync();
        await Task.WhenAll(waiters).WaitAsync(Long);
    }

    [Fact]
    public async Task Health_check_is_healthy_against_a_member_and_unhealthy_against_nothing()
    {
        var healthy = await CheckAsync(server.Endpoints.ToList());
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        var unreachable = await CheckAsync(["127.0.0.1:" + Coordinator.Tests.Integration.FreePorts.Take(1)[0]]);
        Assert.Equal(HealthStatus.Unhealthy, unreachable.Status);
    }

    private static async Task<HealthReport> CheckAsync(List<string> endpoints)
    {
        await using var services = new ServiceCollection()
            .AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(Microsoft.Extensions.Logging.Abstractions.NullLogger<>))
            .AddCoordinatorClient(o => { o.Endpoints = endpoints; o.DialTimeout = TimeSpan.FromMilliseconds(500); })
            .AddHealthChecks().AddCoordinator(timeout: TimeSpan.FromSeconds(2)).Services
            .BuildServiceProvider();
        return await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
    }
}
