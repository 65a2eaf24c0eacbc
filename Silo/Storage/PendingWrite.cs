using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Storage;

/// <summary>What a queued write does to its group.</summary>
internal enum PendingWriteKind
{
    /// <summary>A Save: HardState and/or entries.</summary>
    Save,
    /// <summary>A snapshot marker: the snapshot's file is durable, the log now starts after it.</summary>
    SnapshotMarker,
    /// <summary>The view that queued it closes: its later writes are refused; unsynced records become durable.</summary>
    Close,
    /// <summary>The group leaves the log (written as a GroupRemoved record).</summary>
    Remove,
}

/// <summary>
/// One queued write of one group. Completed by the writer loop once the fsync covering its records has
/// returned (or, for a batch holding only commit-index HardStates, once they are written), and only after
/// its effect is visible to reads.
/// </summary>
internal sealed class PendingWrite
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public required WalGroup Group { get; init; }

    /// <summary>The view that queued it (null for a removal): refused once that view's close was written.</summary>
    public WriteAheadLog? Owner { get; init; }

    public PendingWriteKind Kind { get; init; }

    public HardState? HardState { get; init; }
    public IReadOnlyList<Entry> Entries { get; init; } = [];

    /// <summary>For a marker: the snapshot whose file is already durable.</summary>
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
