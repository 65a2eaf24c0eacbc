using Grpc.Core;

namespace Coordinator.Client;

/// <summary>Thrown by a watch enumeration when the revision it must (re)start from was compacted: events
/// between <see cref="RequestedRevision"/> and <see cref="CompactRevision"/> are gone and cannot be delivered.
/// The usual reaction is to re-read the state and watch again from the read's revision + 1.</summary>
public sealed class WatchCompactedException(long compactRevision, long requestedRevision)
    : CoordinatorException(StatusCode.OutOfRange, "mvcc: required revision has been compacted")
{
    /// <summary>The oldest revision still available.</summary>
    public long CompactRevision { get; } = compactRevision;

    public long RequestedRevision { get; } = requestedRevision;
}
