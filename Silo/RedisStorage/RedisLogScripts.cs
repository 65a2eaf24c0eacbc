namespace Coordinator.Silo.RedisStorage;

/// <summary>
/// The Lua scripts every write goes through. Each first compares the owner epoch with the caller's and fails
/// with "FENCED current" when they differ, so a stale activation's write changes nothing; the rest of the
/// script runs atomically (Redis runs a script without interleaving), so a write is all or nothing.
/// </summary>
internal static class RedisLogScripts
{
    private const string Fence = """
        local owner = redis.call('GET', KEYS[1])
        if owner ~= ARGV[1] then return redis.error_reply('FENCED ' .. tostring(owner)) end
        """;

    /// <summary>KEYS owner, meta, log. ARGV epoch, hard state ('' = unchanged), keep (entries of the list to keep
    /// before appending; -1 = all), entries... — truncates a conflicting suffix, appends, sets the HardState.</summary>
    public const string Save = Fence + """

        local keep = tonumber(ARGV[3])
        if keep == 0 then redis.call('DEL', KEYS[3])
        elseif keep > 0 then redis.call('LTRIM', KEYS[3], 0, keep - 1) end
        local i = 4
        while i <= #ARGV do
          local last = math.min(i + 999, #ARGV)
          redis.call('RPUSH', KEYS[3], unpack(ARGV, i, last))
          i = last + 1
        end
        if ARGV[2] ~= '' then redis.call('HSET', KEYS[2], 'hs', ARGV[2]) end
        return 1
        """;

    /// <summary>KEYS owner, meta, log, then the old snapshot's chunks. ARGV epoch, snapshot metadata, snapshot id,
    /// new first index, drop (entries to drop from the list's head; -1 = the whole list) — makes the new
    /// snapshot (its chunks already written) the current one, compacts the log and deletes the old chunks.</summary>
    public const string SetSnapshot = Fence + """

        redis.call('HSET', KEYS[2], 'snap', ARGV[2], 'snapid', ARGV[3], 'first', ARGV[4])
        local drop = tonumber(ARGV[5])
        if drop < 0 then redis.call('DEL', KEYS[3])
        elseif drop > 0 then redis.call('LTRIM', KEYS[3], drop, -1) end
        for k = 4, #KEYS do redis.call('DEL', KEYS[k]) end
        return 1
        """;

    /// <summary>KEYS owner. ARGV none — takes the next owner epoch (the activation's fence).</summary>
    public const string TakeOwnership = "return redis.call('INCR', KEYS[1])";
}
