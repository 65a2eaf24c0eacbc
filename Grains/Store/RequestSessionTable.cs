namespace Coordinator.Grains.Store;

/// <summary>What applying a request should do, decided by <see cref="RequestSessionTable{TResult}.Check"/>.</summary>
public enum SessionVerdict
{
    /// <summary>Never applied: apply it, then <see cref="RequestSessionTable{TResult}.Record"/> the result.</summary>
    New,
    /// <summary>Applied before: do not apply again; answer with the first result if it is still kept.</summary>
    Duplicate,
    /// <summary>Below the proposer's floor: it has stopped waiting for this request, which either was applied
    /// already (result dropped) or was abandoned. Never applied.</summary>
    Stale,
}

/// <summary>
/// At most once, as a property of the state machine (Raft dissertation §6.3). A session is one proposer's
/// request stream — one member process, from its start — named by a random id; its requests carry sequence
/// numbers in the order it issued them, and the proposer's <i>floor</i>: every sequence number below it was
/// either answered or given up. Entries are checked in log order, so every member reaches the same verdicts:
/// <list type="bullet">
/// <item>below the session's floor: <see cref="SessionVerdict.Stale"/>;</item>
/// <item>recorded as applied: <see cref="SessionVerdict.Duplicate"/>, with the first result while it is kept;</item>
/// <item>otherwise <see cref="SessionVerdict.New"/>.</item>
/// </list>
/// Memory is bounded: applied sequence numbers are kept only above the floor, as ranges (a proposer's numbers are
/// consecutive, so normally one range plus a gap per request still in flight), at most
/// <see cref="MaxRangesPerSession"/> of them (beyond that the floor rises past the oldest, which only makes very
/// old stragglers Stale); results are kept for the newest <see cref="MaxResultsPerSession"/> requests; at most
/// <see cref="MaxSessions"/> sessions, the least recently used evicted first. An evicted session forgets its
/// requests, so a duplicate delayed past <see cref="MaxSessions"/> later proposer lifetimes would apply again:
/// the transport cannot delay a message beyond its sender's life, and a member starts one session per life.
/// Not thread-safe: the owner (the store, under its write lock) serializes calls. Deterministic.
/// </summary>
public sealed class RequestSessionTable<TResult> where TResult : class
{
    public const int MaxSessions = 1024;
    public const int MaxRangesPerSession = 16_384;
    public const int MaxResultsPerSession = 1024;

    private readonly Dictionary<ulong, Session> _sessions = new();

    public int Count => _sessions.Count;

    /// <summary>The verdict for request <paramref name="sequence"/> of <paramref name="session"/>, and its first
    /// result when it is a duplicate whose result is still kept.</summary>
    public SessionVerdict Check(ulong session, ulong sequence, out TResult? firstResult)
    {
        firstResult = null;
        if (!_sessions.TryGetValue(session, out var s)) return SessionVerdict.New;
        if (sequence < s.Floor) return SessionVerdict.Stale;
        if (!s.Applied.Contains(sequence)) return SessionVerdict.New;
        s.Results.TryGetValue(sequence, out firstResult);
        return SessionVerdict.Duplicate;
    }

    /// <summary>Records that <paramref name="sequence"/> was applied with <paramref name="result"/>, and the
    /// proposer's floor carried by the entry; <paramref name="appliedIndex"/> orders sessions by use.</summary>
    public void Record(ulong session, ulong sequence, ulong floor, ulong appliedIndex, TResult result)
    {
        var s = GetOrAdd(session);
        s.LastUsed = appliedIndex;
        if (sequence >= s.Floor)
        {
            s.Applied.Add(sequence);
            s.Results[sequence] = result;
            s.ResultOrder.Enqueue(sequence);
        }
        RaiseFloor(s, floor);
    }

    /// <summary>A duplicate or stale entry still tells the proposer's floor.</summary>
    public void Observe(ulong session, ulong floor, ulong appliedIndex)
    {
        if (!_sessions.TryGetValue(session, out var s)) return;
        s.LastUsed = appliedIndex;
        RaiseFloor(s, floor);
    }

    private Session GetOrAdd(ulong session)
    {
        if (_sessions.TryGetValue(session, out var s)) return s;
        if (_sessions.Count >= MaxSessions)
        {
            // Deterministic: the least recently used, ties broken by id.
            var victim = _sessions.MinBy(p => (p.Value.LastUsed, p.Key)).Key;
            _sessions.Remove(victim);
        }
        s = new Session();
        _sessions[session] = s;
        return s;
    }

    private static void RaiseFloor(Session s, ulong floor)
    {
        if (floor > s.Floor)
        {
            s.Floor = floor;
            s.Applied.RemoveBelow(floor);
        }
        while (s.Applied.RangeCount > MaxRangesPerSession)
        {
            s.Floor = s.Applied.FirstRangeEnd;
            s.Applied.RemoveBelow(s.Floor);
        }
        while (s.ResultOrder.Count > 0 &&
               (s.ResultOrder.Peek() < s.Floor || s.ResultOrder.Count > MaxResultsPerSession))
            s.Results.Remove(s.ResultOrder.Dequeue());
    }

    /// <summary>Writes every session in id order (a deterministic encoding of the state).</summary>
    public void WriteTo(BinaryWriter writer, Action<BinaryWriter, TResult> writeResult)
    {
        writer.Write(_sessions.Count);
        foreach (var (id, s) in _sessions.OrderBy(p => p.Key))
        {
            writer.Write(id);
            writer.Write(s.Floor);
            writer.Write(s.LastUsed);
            s.Applied.WriteTo(writer);
            writer.Write(s.ResultOrder.Count);
            foreach (var sequence in s.ResultOrder)
            {
                writer.Write(sequence);
                writeResult(writer, s.Results[sequence]);
            }
        }
    }

    /// <summary>Reads what <see cref="WriteTo"/> wrote; throws <see cref="InvalidDataException"/> on nonsense.</summary>
    public static RequestSessionTable<TResult> ReadFrom(BinaryReader reader, Func<BinaryReader, TResult> readResult)
    {
        var table = new RequestSessionTable<TResult>();
        var count = reader.ReadInt32();
        if (count < 0 || count > MaxSessions) throw new InvalidDataException($"bad session count {count}");
        for (var i = 0; i < count; i++)
        {
            var id = reader.ReadUInt64();
            var s = new Session { Floor = reader.ReadUInt64(), LastUsed = reader.ReadUInt64() };
            s.Applied = SequenceRanges.ReadFrom(reader, MaxRangesPerSession);
            var results = reader.ReadInt32();
            if (results < 0 || results > MaxResultsPerSession) throw new InvalidDataException($"bad result count {results}");
            for (var r = 0; r < results; r++)
            {
                var sequence = reader.ReadUInt64();
                s.Results[sequence] = readResult(reader);
                s.ResultOrder.Enqueue(sequence);
            }
            if (!table._sessions.TryAdd(id, s)) throw new InvalidDataException($"session {id:x} twice");
        }
        return table;
    }

    /// <summary>A copy that shares the (immutable) results: what a snapshot image holds.</summary>
    public RequestSessionTable<TResult> Clone()
    {
        var copy = new RequestSessionTable<TResult>();
        foreach (var (id, s) in _sessions)
        {
            var c = new Session { Floor = s.Floor, LastUsed = s.LastUsed, Applied = s.Applied.Clone() };
            foreach (var sequence in s.ResultOrder)
            {
                c.ResultOrder.Enqueue(sequence);
                c.Results[sequence] = s.Results[sequence];
            }
            copy._sessions[id] = c;
        }
        return copy;
    }

    private sealed class Session
    {
        // Invariant: every sequence number below Floor is settled (Stale); Applied holds exactly the applied
        // ones at or above it; Results ⊆ Applied, in ResultOrder (the order they were applied).
        public ulong Floor;
        public ulong LastUsed;
        public SequenceRanges Applied = new();
        public readonly Dictionary<ulong, TResult> Results = new();
        public readonly Queue<ulong> ResultOrder = new();
    }
}
