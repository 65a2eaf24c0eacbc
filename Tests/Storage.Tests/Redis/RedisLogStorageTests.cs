using System.Diagnostics;
using Coordinator.Grains.Raft;
using Coordinator.Silo.RedisStorage;
using StackExchange.Redis;
using Xunit;
using static Coordinator.Tests.Storage.LogStates;

namespace Coordinator.Tests.Storage.Redis;

/// <summary>Fencing, durability checks and failures of the Redis replica log, with real redis-server processes.</summary>
public sealed class RedisLogStorageTests
{
    private static string NewReplica() => "test/" + Guid.NewGuid().ToString("N");

    [Fact]
    public void A_newer_activation_fences_the_older_one_whose_writes_then_change_nothing()
    {
        using var redis = new RedisServer();
        using var connection = redis.Connect();
        var options = new RedisLogOptions { Redis = connection, Replica = NewReplica() };
        var first = RedisLogStorage.Open(options);
        first.Save(new HardState(1, 1, 0), Range(1, 3, 1));
        var second = RedisLogStorage.Open(options);
        Assert.True(second.Epoch > first.Epoch);
        var fenced = Assert.Throws<ReplicaFencedException>(() => first.Save(new HardState(2, 2, 0), Range(4, 4, 2)));
        Assert.Contains("newer activation", fenced.Message);
        Assert.Throws<ReplicaFencedException>(() => first.CreateSnapshot(2, Membership.OfVoters(1), new byte[] { 1 }));
        Assert.Throws<ReplicaFencedException>(() => first.ApplySnapshot(Snap(9, 2, "stale", 1)));
        second.Save(null, Range(4, 5, 1));
        var third = RedisLogStorage.Open(options);
        Assert.Equal(new HardState(1, 1, 0), third.HardState);
        Assert.Equal(5UL, third.LastIndex);
        Assert.Equal(0UL, third.SnapshotMetadata.Index);
        Assert.All(third.Entries(1, 6, long.MaxValue), e => Assert.Equal(1UL, e.Term));
    }

    [Fact]
    public void Two_activations_racing_never_both_write()
    {
        using var redis = new RedisServer();
        using var connection = redis.Connect();
        var options = new RedisLogOptions { Redis = connection, Replica = NewReplica() };
        var a = RedisLogStorage.Open(options);
        var b = RedisLogStorage.Open(options);
        var results = new[] { a, b }.AsParallel().Select(s =>
        {
            try { s.Save(new HardState((ulong)s.Epoch, 0, 0), Range(1, 1, (ulong)s.Epoch)); return true; }
            catch (ReplicaFencedException) { return false; }
        }).ToArray();
        Assert.Equal(1, results.Count(ok => ok));
        var reader = RedisLogStorage.Open(options);
        Assert.Equal((ulong)b.Epoch, reader.HardState.Term); // the survivor is the newer one
    }

    [Fact]
    public void A_redis_that_does_not_fsync_every_write_is_refused_with_a_clear_error()
    {
        using var redis = new RedisServer("--appendfsync", "everysec");
        using var connection = redis.Connect();
        var e = Assert.Throws<RedisLogUnavailableException>(() => RedisLogStorage.Open(new RedisLogOptions { Redis = connection, Replica = NewReplica() }));
        Assert.Contains("'appendonly yes' and 'appendfsync always'", e.Message);
        Assert.Contains("appendfsync everysec", e.Message);
    }

    [Fact]
    public void Too_few_redis_replicas_acknowledging_fails_the_write_and_the_log_for_good()
    {
        using var redis = new RedisServer();
        using var connection = redis.Connect();
        var log = RedisLogStorage.Open(new RedisLogOptions
        {
            Redis = connection, Replica = NewReplica(), WaitReplicas = 1, WaitTimeout = TimeSpan.FromMilliseconds(100),
        });
        var e = Assert.Throws<RedisLogUnavailableException>(() => log.Save(null, Range(1, 1, 1)));
        Assert.Contains("0 of 1 Redis replicas acknowledged", e.Message);
        Assert.Throws<RedisLogUnavailableException>(() => log.Save(null, Range(1, 1, 1)));
    }

    [Fact]
    public void A_large_snapshot_is_chunked_and_its_old_chunks_are_deleted()
    {
        using var redis = new RedisServer();
        using var connection = redis.Connect();
        var options = new RedisLogOptions { Redis = connection, Replica = NewReplica(), SnapshotChunkBytes = 64 * 1024 };
        var log = RedisLogStorage.Open(options);
        log.Save(null, Range(1, 10, 1));
        var data = new byte[3 * 1024 * 1024 + 17];
        new Random(1).NextBytes(data);
        log.CreateSnapshot(6, Membership.OfVoters(1, 2, 3) with { Learners = [4] }, data);
        log.CreateSnapshot(8, Membership.OfVoters(1, 2, 3), data.AsMemory(0, 100));
        var reopened = RedisLogStorage.Open(options);
        Assert.Equal(data.AsSpan(0, 100).ToArray(), reopened.Snapshot.Data.ToArray());
        Assert.Equal(Membership.OfVoters(1, 2, 3), reopened.SnapshotMetadata.Membership);
        Assert.Equal(Range(9, 10, 1), reopened.Entries(9, 11, long.MaxValue));
        var server = connection.GetServer(redis.Endpoint);
        var chunkKeys = server.Keys(pattern: "*:snap:*").ToList();
        Assert.Single(chunkKeys); // 100 bytes: one chunk; the 49 chunks of the first snapshot are gone
    }

    /// <summary>kill -9 of redis-server while appends flow: every Save that returned is there after a restart.</summary>
    [Fact]
    public async Task Nothing_acknowledged_is_lost_when_redis_is_killed_in_the_middle_of_appends()
    {
        using var redis = new RedisServer();
        var replica = NewReplica();
        ulong acknowledged;
        using (var connection = redis.Connect(timeoutMs: 1000))
        {
            var log = RedisLogStorage.Open(new RedisLogOptions { Redis = connection, Replica = replica });
            var writer = Task.Run(() =>
            {
                ulong done = 0;
                try
                {
                    for (var i = 1UL; i <= 100_000; i++)
                    {
                        log.Save(new HardState(1, 1, i - 1), new[] { E(i, 1) });
                        done = i;
                    }
                }
                catch (RedisLogUnavailableException) { }
                return done;
            });
            await Task.Delay(700);
            redis.Kill();
            acknowledged = await writer.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.InRange(acknowledged, 1UL, 99_999UL);
            Assert.Throws<RedisLogUnavailableException>(() => log.Save(null, new[] { E(acknowledged + 1, 1) }));
        }
        redis.Start();
        using var again = redis.Connect();
        var recovered = RedisLogStorage.Open(new RedisLogOptions { Redis = again, Replica = replica });
        Assert.True(recovered.LastIndex >= acknowledged, $"acknowledged {acknowledged}, recovered {recovered.LastIndex}");
        Assert.True(recovered.HardState.Commit >= acknowledged - 1);
        Assert.Equal(E(acknowledged, 1), recovered.Entries(acknowledged, acknowledged + 1, long.MaxValue)[0]);
    }

    /// <summary>A Redis that stops answering (SIGSTOP): the write fails within the client's timeout, never hangs,
    /// and the log stays failed — its replica reports itself down — until it is reopened.</summary>
    [Fact]
    public void A_redis_that_stops_answering_fails_the_write_within_the_timeout()
    {
        using var redis = new RedisServer();
        using var connection = redis.Connect(timeoutMs: 500);
        var options = new RedisLogOptions { Redis = connection, Replica = NewReplica() };
        var log = RedisLogStorage.Open(options);
        log.Save(null, Range(1, 2, 1));
        redis.Signal("STOP");
        var clock = Stopwatch.StartNew();
        Assert.Throws<RedisLogUnavailableException>(() => log.Save(null, Range(3, 3, 1)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the write must not hang");
        redis.Signal("CONT");
        Assert.Throws<RedisLogUnavailableException>(() => log.Save(null, Range(3, 3, 1)));
        RedisLogStorage? reopened = null;
        for (var attempt = 0; reopened is null; attempt++)
        {
            try { reopened = RedisLogStorage.Open(options); }
            catch (Exception e) when (attempt < 20 && e is RedisException or TimeoutException) { Thread.Sleep(200); }
        }
        Assert.InRange(reopened.LastIndex, 2UL, 3UL); // the failed write's outcome was unknown: either is durable truth
        reopened.Save(null, Range(reopened.LastIndex + 1, reopened.LastIndex + 1, 1));
    }
}
