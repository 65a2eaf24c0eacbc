namespace Coordinator.Grains.Raft;

/// <summary>
/// Leader-side ReadIndex, batched: reads queue while one heartbeat round is in flight; when a quorum
/// answers a round, every read that was part of it is safe at the commit index recorded when the round
/// started. Reads arriving meanwhile ride the next round. Owned by the leader; cleared on step-down.
/// </summary>
internal sealed class ReadIndexBatcher
{
    /// <summary>A read request: the host's context, and who asked (0 or self = local).</summary>
    internal readonly record struct Request(ulong Context, ulong From);

    private readonly List<Request> _waiting = new();
    private List<Request> _round = new();
    private readonly HashSet<ulong> _acks = new();
    private ulong _roundIndex;
    private ulong _nextRoundId = 1;

    /// <summary>The round being confirmed (0 = none); heartbeats carry it as their context.</summary>
    public ulong RoundInFlight { get; private set; }

    public bool HasWaiting => _waiting.Count > 0;

    public void Enqueue(ulong context, ulong from) => _waiting.Add(new Request(context, from));

    /// <summary>Starts a round for every waiting read at <paramref name="commitIndex"/>; returns its id.</summary>
    public ulong StartRound(ulong commitIndex, ulong self)
    {
        _round = new List<Request>(_waiting);
        _waiting.Clear();
        _roundIndex = commitIndex;
        RoundInFlight = _nextRoundId++;
        _acks.Clear();
        _acks.Add(self);
        return RoundInFlight;
    }

    /// <summary>Records a heartbeat ack; when the round reaches quorum returns its reads and index.</summary>
    public (IReadOnlyList<Request> Reads, ulong Index)? Ack(ulong roundId, ulong from, Func<IReadOnlySet<ulong>, bool> isQuorum)
    {
        if (roundId == 0 || roundId != RoundInFlight) return null;
        _acks.Add(from);
        if (!isQuorum(_acks)) return null;
        RoundInFlight = 0;
        return (_round, _roundIndex);
    }

    /// <summary>Releases every waiting read at once (single voter, or lease-based reads).</summary>
    public IReadOnlyList<Request> TakeWaiting()
    {
        var reads = new List<Request>(_waiting);
        _waiting.Clear();
        return reads;
    }

    public void Reset()
    {
        _waiting.Clear();
        _round = new List<Request>();
        _acks.Clear();
        RoundInFlight = 0;
    }
}
