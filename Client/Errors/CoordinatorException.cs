using Grpc.Core;

namespace Coordinator.Client;

/// <summary>A call failed with a gRPC status. <see cref="Detail"/> is the server's message verbatim
/// (etcd's texts, e.g. "etcdserver: key is not provided"); client-side failures use the same codes
/// (UNAVAILABLE when no endpoint could be reached, DEADLINE_EXCEEDED when the call's deadline passed).</summary>
public class CoordinatorException : Exception
{
    public CoordinatorException(StatusCode statusCode, string detail, Exception? inner = null)
        : base($"Status({statusCode}, \"{detail}\")", inner)
    {
        StatusCode = statusCode;
        Detail = detail;
    }

    /// <summary>gRPC's own status code type (Grpc.Core), the one the server's store uses too.</summary>
    public StatusCode StatusCode { get; }

    /// <summary>The server's <c>grpc-message</c>, percent-decoded; or the client's description.</summary>
    public string Detail { get; }

    /// <summary>The requested revision is older than the compaction point ("mvcc: required revision has been compacted").</summary>
    public bool IsCompacted => StatusCode == StatusCode.OutOfRange && Detail.Contains("compacted", StringComparison.Ordinal);

    /// <summary>The requested revision is newer than the store ("mvcc: required revision is a future revision").</summary>
    public bool IsFutureRevision => StatusCode == StatusCode.OutOfRange && Detail.Contains("future revision", StringComparison.Ordinal);

    /// <summary>The member has no leader ("etcdserver: no leader").</summary>
    public bool IsNoLeader => StatusCode == StatusCode.Unavailable && Detail.Contains("no leader", StringComparison.Ordinal);

    /// <summary>"etcdserver: requested lease not found".</summary>
    public bool IsLeaseNotFound => StatusCode == StatusCode.NotFound && Detail.Contains("lease not found", StringComparison.Ordinal);

    public bool IsUnavailable => StatusCode == StatusCode.Unavailable;

    public bool IsDeadlineExceeded => StatusCode == StatusCode.DeadlineExceeded;
}
