using Mvccpb;

namespace Coordinator.Grains.Store;

/// <summary>
/// One write transaction in progress: every change gets revision (BeginRevision + 1, sub), sub counting up.
/// The store's current revision moves only when the batch commits with at least one change.
/// </summary>
internal sealed class WriteBatch(long beginRevision)
{
    public long BeginRevision { get; } = beginRevision;

    /// <summary>Main revision of this batch's changes.</summary>
    public long Main => BeginRevision + 1;

    public int Changes => Events.Count;

    /// <summary>The revision reads inside the batch see: its own changes once there are any.</summary>
    public long ReadRevision => Changes > 0 ? Main : BeginRevision;

    public List<Event> Events { get; } = [];

    public Revision NextRevision() => new(Main, Changes);
}
