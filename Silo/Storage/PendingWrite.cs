using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>
/// One queued write: a Save (HardState and/or entries) or a snapshot marker. Completed by the writer loop
/// once the fsync covering its records has returned (or, for a batch holding only commit-index HardStates,
/// once they are written), and only after its effect is visible to reads.
/// </summary>
internal sealed class PendingWrite
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HardState? HardState { get; init; }
    public IReadOnlyList<Entry> Entries { get; init; } = [];

    /// <summary>Set for a snapshot marker: the snapshot whose file is already durable.</summary>
    public Snapshot? Snapshot { get; init; }

    /// <summary>For a marker: true when <see cref="Snapshot"/> carries the data (false when only its metadata
    /// is known: the data was streamed to the file).</summary>
    public bool DataHeld { get; init; }

    /// <summary>For a marker: true for ApplySnapshot (the log is replaced), false for CreateSnapshot.</summary>
    public bool ReplacesLog { get; init; }

    /// <summary>Index of the first of <see cref="Entries"/> to persist (those below are under the snapshot);
    /// set by the writer when it validates the write.</summary>
    public int AcceptedFrom { get; set; }

    /// <summary>Where Entries[AcceptedFrom..] were written; set by the writer when it encodes the write.</summary>
    public EntryLocation[] Locations { get; set; } = [];

    public Task Completion => _completion.Task;
    public void Succeed() => _completion.TrySetResult();
    public void Fail(Exception error) => _completion.TrySetException(error);
}
