using Coordinator.Grains.Raft;
using Coordinator.Silo.RedisStorage;
using StackExchange.Redis;

namespace Coordinator.Tests.Storage.Redis;

/// <summary>The log-storage conformance suite against a real redis-server; a reopen is a new activation (a new
/// owner epoch) reading what Redis holds. Small chunks make snapshots span several keys.</summary>
public sealed class RedisLogConformanceTests : LogStorageConformance, IDisposable
{
    private readonly RedisServer _redis = new();
    private readonly ConnectionMultiplexer _connection;
    private readonly string _replica = "test/" + Guid.NewGuid().ToString("N");

    public RedisLogConformanceTests() => _connection = _redis.Connect();

    private RedisLogOptions Options => new() { Redis = _connection, Replica = _replica, SnapshotChunkBytes = 2 };

    protected override IRaftLogStorage Create() => RedisLogStorage.Open(Options);

    protected override IRaftLogStorage? Reopen(IRaftLogStorage storage)
    {
        ((RedisLogStorage)storage).Dispose();
        return RedisLogStorage.Open(Options);
    }

    public void Dispose()
    {
        _connection.Dispose();
        _redis.Dispose();
    }
}
