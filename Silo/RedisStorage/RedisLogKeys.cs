using StackExchange.Redis;

namespace Coordinator.Silo.RedisStorage;

/// <summary>
/// The keys of one replica, all with the same hash tag so a script may touch them together:
/// owner (the current activation's epoch), meta (hash: first index, HardState, snapshot metadata and id),
/// log (list: the entries from the first index on, in order), snap:ID:N (the chunks of snapshot ID).
/// </summary>
internal sealed class RedisLogKeys(string replica)
{
    private readonly string _tag = "{" + replica + "}";

    public RedisKey Owner => _tag + ":owner";
    public RedisKey Meta => _tag + ":meta";
    public RedisKey Log => _tag + ":log";
    public RedisKey Chunk(string snapshotId, int n) => $"{_tag}:snap:{snapshotId}:{n}";
}
