using Coordinator.Orleans.Tests.Grains;

namespace Coordinator.Orleans.Tests.Cluster;

/// <summary>Locks, fencing and reminders used from grains of a 3-silo cluster on a real Coordinator cluster.</summary>
[Collection(Fixtures.CoordinatorCollection.Name)]
public sealed class GrainCoordinationTests(Fixtures.CoordinatorClusterFixture server)
{
    [Fact]
    public async Task A_grain_that_lost_its_lock_cannot_write_and_the_new_holder_can()
    {
        await using var orleans = await OrleansClusterOnStore.StartAsync(server);
        var lockName = orleans.Root + "/locks/job";
        var data = orleans.Root + "/data/job";
        var first = orleans.Cluster.Client.GetGrain<ILockHolderGrain>("first");
        var second = orleans.Cluster.Client.GetGrain<ILockHolderGrain>("second");

        var (token, lease) = await first.TryAcquire(lockName, 5000);
        Assert.NotEqual(0, token);
        Assert.True(await first.WriteFenced(data, "first"));
        Assert.Equal(0, (await second.TryAcquire(lockName, 300)).Token); // excluded while held

        // The first holder's session ends behind its back (what a paused or partitioned silo sees).
        await orleans.Store.RevokeAsync(lease);
        var (secondToken, _) = await second.TryAcquire(lockName, 10_000);
        Assert.True(secondToken > token);
        Assert.False(await first.WriteFenced(data, "stale first"));
        Assert.True(await second.WriteFenced(data, "second"));
        Assert.Equal("second", (await orleans.Store.GetAsync(data))!.Value.ToStringUtf8());
    }

    [Fact]
    public async Task A_reminder_lives_in_the_store_and_fires()
    {
        await using var orleans = await OrleansClusterOnStore.StartAsync(server);
        var grain = orleans.Cluster.Client.GetGrain<IReminderGrain>("ticker");
        await grain.Start(TimeSpan.FromSeconds(1));
        var serviceId = orleans.Cluster.Options.ServiceId;
        var rows = await orleans.Store.GetPrefixAsync($"{orleans.Root}/{Uri.EscapeDataString(serviceId)}/reminders/");
        var row = Assert.Single(rows.Kvs);
        Assert.EndsWith("/tick", row.Key.ToStringUtf8());

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await grain.Ticks() < 2 && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.True(await grain.Ticks() >= 2);

        await grain.Stop();
        Assert.Empty((await orleans.Store.GetPrefixAsync($"{orleans.Root}/{Uri.EscapeDataString(serviceId)}/reminders/")).Kvs);
    }
}
