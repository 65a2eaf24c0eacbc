using Coordinator.Client;
using Coordinator.Client.Tests.Fixtures;
using Coordinator.Orleans.Coordination;
using Coordinator.Recipes;

namespace Coordinator.Orleans.Tests.Contracts;

/// <summary>The fencing guard: a write carrying it lands only while that very acquisition holds the lock.</summary>
public abstract class LockFenceContract(IServerFixture server)
{
    [Fact]
    public async Task Only_the_current_holder_writes()
    {
        await using var client = new CoordinatorClient(Fixtures.Stores.ClientOptions(server));
        var root = Fixtures.Stores.NewRoot();
        var lockName = root + "/lock";
        var data = root + "/data";
        try
        {
            var first = await new DistributedLock(client, lockName).AcquireAsync(TimeSpan.FromSeconds(10));
            Assert.True(await first.PutIfHeldAsync(client, data, "first"));

            await client.RevokeAsync(first.LeaseId); // the session ends behind the holder's back
            await using var second = await new DistributedLock(client, lockName).AcquireAsync(TimeSpan.FromSeconds(10));
            Assert.True(second.FencingToken > first.FencingToken);
            Assert.False(await first.PutIfHeldAsync(client, data, "stale"));
            Assert.True(await second.PutIfHeldAsync(client, data, "second"));
            Assert.Equal("second", (await client.GetAsync(data))!.Value.ToStringUtf8());
            await second.ReleaseAsync();
            Assert.False(await second.PutIfHeldAsync(client, data, "after release"));
        }
        finally
        {
            await client.DeleteRangeAsync(KeyRange.Prefix(root + "/"));
        }
    }
}

[Collection(Fixtures.CoordinatorCollection.Name)]
public sealed class LockFenceOnCoordinator(Fixtures.CoordinatorClusterFixture server) : LockFenceContract(server);

[Collection(Fixtures.EtcdCollection.Name)]
public sealed class LockFenceOnEtcd(EtcdServerFixture server) : LockFenceContract(server);
