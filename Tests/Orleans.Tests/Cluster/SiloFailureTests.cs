using Coordinator.Orleans.Storage;
using Coordinator.Orleans.Tests.Grains;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Coordinator.Orleans.Tests.Cluster;

/// <summary>A 3-silo Orleans cluster whose membership, grain state, reminders and streams are all in a real
/// 3-member Coordinator cluster: silo failures are seen, grains come back with their state, a duplicate activation
/// cannot persist over newer state, and a stream subscriber misses no change.</summary>
[Collection(Fixtures.CoordinatorCollection.Name)]
public sealed class SiloFailureTests(Fixtures.CoordinatorClusterFixture server)
{
    [Fact]
    public async Task A_killed_silo_is_declared_dead_and_its_grains_come_back_elsewhere_with_their_state()
    {
        await using var orleans = await OrleansClusterOnStore.StartAsync(server);
        var membership = await orleans.MembershipAsync();
        Assert.Equal(3, membership.Members.Count(m => m.Item1.Status == SiloStatus.Active));

        var counters = Enumerable.Range(0, 24).Select(i => orleans.Cluster.Client.GetGrain<ICounterGrain>("counter-" + i)).ToArray();
        for (var i = 0; i < counters.Length; i++)
            for (var n = 0; n <= i % 4; n++) await counters[i].Increment();
        var placed = await Task.WhenAll(counters.Select(c => c.Silo()));
        var victim = placed.GroupBy(s => s).OrderByDescending(g => g.Count()).First().Key; // the silo with most grains
        var victimHandle = orleans.SiloAt(victim);

        await orleans.Cluster.KillSiloAsync(victimHandle);
        await orleans.WaitUntilDeclaredDeadAsync(victimHandle.SiloAddress, TimeSpan.FromSeconds(60));

        var moved = 0;
        for (var i = 0; i < counters.Length; i++)
        {
            Assert.Equal(i % 4 + 1, await OrleansClusterOnStore.CallAsync(counters[i].Get));
            var now = await OrleansClusterOnStore.CallAsync(counters[i].Silo);
            Assert.NotEqual(victim, now);
            if (placed[i] == victim) moved++;
        }
        Assert.True(moved > 0);
        Assert.Equal(2, (await orleans.MembershipAsync()).Members.Count(m => m.Item1.Status == SiloStatus.Active));
    }

    [Fact]
    public async Task A_duplicate_activation_cannot_persist_over_newer_state()
    {
        await using var orleans = await OrleansClusterOnStore.StartAsync(server);
        var counter = orleans.Cluster.Client.GetGrain<ICounterGrain>("contested");
        for (var i = 0; i < 3; i++) await counter.Increment();
        var home = await counter.Silo();

        // A second activation of the same grain on another silo (what a partition can produce): it reads the
        // record through that silo's own provider and persists first.
        var other = orleans.Cluster.Silos.First(s => s.SiloAddress.ToParsableString() != home);
        var storage = ((InProcessSiloHandle)other).SiloHost.Services.GetRequiredKeyedService<IGrainStorage>("store");
        var grainId = GrainId.Create(GrainType.Create("counter"), "contested");
        var duplicate = new GrainState<CounterState>();
        await storage.ReadStateAsync("counter", grainId, duplicate);
        Assert.Equal(3, duplicate.State!.Value);
        duplicate.State.Value = 100;
        await storage.WriteStateAsync("counter", grainId, duplicate);

        // The original activation still holds the old etag: its write is refused, not applied over 100.
        await Assert.ThrowsAsync<InconsistentStateException>(() => counter.Increment());
        var check = new GrainState<CounterState>();
        await storage.ReadStateAsync("counter", grainId, check);
        Assert.Equal(100, check.State!.Value);

        // Orleans deactivates an activation whose write was refused; the next call reads the newer state.
        Assert.Equal(101, await counter.Increment());
    }

    [Fact]
    public async Task A_stream_subscriber_misses_no_change_across_silo_failures()
    {
        await using var orleans = await OrleansClusterOnStore.StartAsync(server);
        var watcher = orleans.Cluster.Client.GetGrain<IKeyWatcherGrain>(orleans.WatchedPrefix);
        var written = new List<long>();

        async Task Write(int count)
        {
            for (var i = 0; i < count; i++)
            {
                written.Add((await orleans.Store.PutAsync(orleans.WatchedPrefix + "k" + (written.Count % 7), "v" + written.Count)).Header.Revision);
                await Task.Delay(20);
            }
        }

        async Task WaitForAll(TimeSpan within)
        {
            var deadline = DateTime.UtcNow + within;
            long[] seen;
            while ((seen = await OrleansClusterOnStore.CallAsync(watcher.Revisions)).Length < written.Count && DateTime.UtcNow < deadline) await Task.Delay(200);
            Assert.Equal(written, seen); // every change, once, in order
        }

        await WaitForReceiverAsync(orleans, TimeSpan.FromSeconds(30));
        await Write(10);
        await WaitForAll(TimeSpan.FromSeconds(30));
        var starts = ReceiverStartRecorder.Starts.Where(s => s.ClusterId == orleans.ClusterId).ToList();
        var receiverSilo = starts[^1].Silo; // the queue's current reader

        // First the silo that reads the watch (its queue moves; the next silo resumes from the checkpoint) while
        // changes keep coming, then, if it was elsewhere, the subscriber's silo.
        var writing = Write(30);
        await Task.Delay(200);
        await orleans.Cluster.KillSiloAsync(orleans.SiloAt(receiverSilo.ToParsableString()));
        await writing;
        await orleans.WaitUntilDeclaredDeadAsync(receiverSilo, TimeSpan.FromSeconds(60));
        await WaitForAll(TimeSpan.FromSeconds(60));
        // The queue was taken over by a surviving silo, which resumed from the checkpoint.
        Assert.Contains(ReceiverStartRecorder.Starts.Where(s => s.ClusterId == orleans.ClusterId).Skip(starts.Count), s => !s.Silo.Equals(receiverSilo));

        var subscriberSilo = await OrleansClusterOnStore.CallAsync(watcher.Silo);
        if (orleans.Cluster.GetActiveSilos().Count() > 1)
        {
            writing = Write(20);
            await Task.Delay(200);
            var handle = orleans.SiloAt(subscriberSilo);
            await orleans.Cluster.KillSiloAsync(handle);
            await writing;
            await orleans.WaitUntilDeclaredDeadAsync(handle.SiloAddress, TimeSpan.FromSeconds(60));
            await WaitForAll(TimeSpan.FromSeconds(60));
            Assert.NotEqual(subscriberSilo, await OrleansClusterOnStore.CallAsync(watcher.Silo));
        }
        Assert.True(written.Count >= 40);
    }

    private static async Task<SiloAddress> WaitForReceiverAsync(OrleansClusterOnStore orleans, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var start = ReceiverStartRecorder.Starts.Where(s => s.ClusterId == orleans.ClusterId).Select(s => s.Silo).FirstOrDefault();
            if (start is not null) return start;
            await Task.Delay(100);
        }
        throw new TimeoutException("no silo started the stream receiver");
    }
}
