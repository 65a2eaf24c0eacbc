namespace Coordinator.Tests.Simulation;

/// <summary>
/// The clients of one state machine: a proposal belongs to session 1 + id % Sessions (ids grow, so each
/// session's sequence numbers do too), and a session's floor is the least request its client still waits for.
/// </summary>
internal sealed class ClientRequests
{
    public const int Sessions = 4;
    /// <summary>Per session, the proposals its client still waits for: the floor is their minimum.</summary>
    private readonly Dictionary<ulong, SortedSet<ulong>> _waiting = new();
    /// <summary>Proposals whose client got an answer, or gave up.</summary>
    private readonly HashSet<ulong> _settled = new();

    /// <summary>Proposals a member accepted, answered or not.</summary>
    public readonly List<ulong> Accepted = new();

    public static ulong SessionOf(ulong proposalId) => 1 + proposalId % Sessions;

    private SortedSet<ulong> Waiting(ulong session) =>
        _waiting.TryGetValue(session, out var set) ? set : _waiting[session] = new SortedSet<ulong>();

    /// <summary>A client starts waiting for <paramref name="id"/>.</summary>
    public void Begin(ulong id) => Waiting(SessionOf(id)).Add(id);

    public bool IsSettled(ulong id) => _settled.Contains(id);

    /// <summary>The payload of proposal <paramref name="id"/> as its client sends it now (it must be waiting).</summary>
    public SimProposal ProposalFor(ulong id)
    {
        var session = SessionOf(id);
        return new SimProposal(id, session, id, Waiting(session).Min);
    }

    /// <summary>The client of <paramref name="id"/> stops waiting: answered, refused or given up.</summary>
    public void Settle(ulong id)
    {
        _settled.Add(id);
        Waiting(SessionOf(id)).Remove(id);
    }

    /// <summary>The state machine refused <paramref name="id"/> as stale (or a duplicate whose result is gone):
    /// only right once its client has stopped waiting for it — the floor must never pass a live request.</summary>
    public void RefusedAsSettled(ulong id, ulong index)
    {
        if (!_settled.Contains(id))
            throw new SimulationFailure($"at most once: proposal {id} at {index} refused as stale while its client still waits for it");
    }
}
