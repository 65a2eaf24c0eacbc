namespace Coordinator.Grains.Raft;

/// <summary>
/// Everything a replica wants done, handed out by <see cref="Replica.GetReady"/>. The host must, in order:
/// <list type="number">
/// <item>persist <see cref="HardState"/> (when set) and <see cref="Entries"/>, and <see cref="Snapshot"/>
///   (when set) — durably — <b>before</b> sending any of <see cref="Messages"/> (a vote or an append ack
///   must never be sent for state a crash could lose);</item>
/// <item>send <see cref="Messages"/>;</item>
/// <item>restore the state machine from <see cref="Snapshot"/> (when set), then apply
///   <see cref="CommittedEntries"/> in order — each committed entry is handed out exactly once;</item>
/// <item>serve <see cref="ReadStates"/> once the state machine has applied their index;</item>
/// <item>call <see cref="Replica.Advance"/> with this Ready. Only then may the next Ready be taken.</item>
/// </list>
/// Step, Tick and Propose may be called between GetReady and Advance; their effects go in the next Ready.
/// </summary>
public sealed record Ready
{
    public SoftState? SoftState { get; init; }
    public HardState? HardState { get; init; }
    public IReadOnlyList<Entry> Entries { get; init; } = Array.Empty<Entry>();
    public Snapshot? Snapshot { get; init; }
    public IReadOnlyList<Entry> CommittedEntries { get; init; } = Array.Empty<Entry>();
    public IReadOnlyList<Message> Messages { get; init; } = Array.Empty<Message>();
    public IReadOnlyList<ReadState> ReadStates { get; init; } = Array.Empty<ReadState>();

    /// <summary>True when the host must fsync before sending (new entries, a new vote/term, or a snapshot).</summary>
    public bool MustSync { get; init; }

    /// <summary>
    /// The one exception to "persist before sending" (Raft thesis §10.2.1): a leader whose term and vote are
    /// unchanged may send its Messages while its own disk write is still running, so followers persist in
    /// parallel with the leader. Safe because the leader counts its own entries toward a quorum only once they
    /// are stable (after Advance), never because it sent them.
    /// </summary>
    public bool MessagesMayPrecedePersist { get; init; }
}
