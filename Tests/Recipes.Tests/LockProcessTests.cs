using System.Diagnostics;
using Coordinator.Client;
using Coordinator.Client.Tests.Fixtures;
using Xunit.Abstractions;

namespace Coordinator.Recipes.Tests;

/// <summary>The lock between separate processes on one real coordinator member.</summary>
[Trait("Category", "Integration")]
public sealed class LockProcessTests(CoordinatorServerFixture server, ITestOutputHelper output) : IClassFixture<CoordinatorServerFixture>
{
    private const int Workers = 8;
    private const int IncrementsPerWorker = 200;

    [Fact]
    public async Task Eight_processes_incrementing_under_the_lock_lose_no_update_and_get_unique_increasing_tokens()
    {
        var name = Servers.UniqueName("mutex");
        var counter = name + "-counter";
        var started = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Workers)
            .Select(_ => new WorkerProcess("counter", server.EndpointList(), name, counter, IncrementsPerWorker.ToString())).ToList();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            var outputs = await Task.WhenAll(workers.Select(w => w.ReadAllLinesAsync(timeout.Token)));
            output.WriteLine($"{Workers} workers x {IncrementsPerWorker} increments in {started.Elapsed.TotalSeconds:F1} s");
            for (var i = 0; i < Workers; i++)
            {
                Assert.True(workers[i].ExitCode == 0, $"worker {i} exit {workers[i].ExitCode}: {workers[i].Stderr}");
                Assert.Equal("done", outputs[i][^1]);
            }

            using var client = server.NewClient();
            Assert.Equal((Workers * IncrementsPerWorker).ToString(), (await client.GetAsync(counter))!.Value.ToStringUtf8());

            // Per line: (fencing token, counter value this acquisition wrote). Under mutual exclusion the values
            // are exactly 1..N, and ordering by them is the global acquisition order.
            var acquisitions = outputs.Select(lines => lines.Where(l => l.StartsWith("token "))
                .Select(l => l.Split(' ')).Select(p => (Token: long.Parse(p[1]), Value: long.Parse(p[2]))).ToList()).ToList();
            foreach (var perWorker in acquisitions)
            {
                Assert.Equal(IncrementsPerWorker, perWorker.Count);
                for (var i = 1; i < perWorker.Count; i++) Assert.True(perWorker[i].Token > perWorker[i - 1].Token, "tokens of one worker must increase");
            }
            var global = acquisitions.SelectMany(a => a).OrderBy(a => a.Value).ToList();
            Assert.Equal(Enumerable.Range(1, Workers * IncrementsPerWorker).Select(v => (long)v), global.Select(a => a.Value));
            Assert.Equal(global.Count, global.Select(a => a.Token).Distinct().Count());
            for (var i = 1; i < global.Count; i++) Assert.True(global[i].Token > global[i - 1].Token, $"token at acquisition {i + 1} not above the previous");
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    [Fact]
    public async Task Killed_holder_process_loses_the_lock_after_the_lease_ttl()
    {
        var name = Servers.UniqueName("crash");
        using var holder = new WorkerProcess("hold", server.EndpointList(), name, "2");
        var acquired = await holder.ReadLineAsync(TimeSpan.FromSeconds(30));
        Assert.StartsWith("acquired " + name + "/", acquired);
        var holderToken = long.Parse(acquired.Split(' ')[2]);

        using var client = server.NewClient();
        var mutex = new DistributedLock(client, name, new DistributedLockOptions { TimeToLive = TimeSpan.FromSeconds(2) });
        Assert.Null(await mutex.TryAcquireAsync(TimeSpan.FromMilliseconds(500)));
        holder.Kill();
        var afterKill = Stopwatch.StartNew();
        await using var handle = await mutex.AcquireAsync(TimeSpan.FromSeconds(15));
        output.WriteLine($"acquired {afterKill.ElapsedMilliseconds} ms after kill -9 of the holder (TTL 2 s)");
        Assert.True(handle.FencingToken > holderToken);
        Assert.True(afterKill.Elapsed < TimeSpan.FromSeconds(2 + 5), "the lock should be free shortly after the TTL");
    }
}
