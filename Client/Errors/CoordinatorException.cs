namespace Coordinator.Client;

/// <summary>A call failed with a gRPC status. <see cref="Detail"/> is the server's message verbatim
/// (etcd's texts, e.g. "etcdserver: key is not provided"); client-side failures use the same codes
/// (UNAVAILABLE when no endpoint could be reached, DEADLINE_EXCEEDED when the call's deadline passed).</summary>
public class CoordinatorException : Exception
{
    public CoordinatorException(GrpcStatusCode statusCode, string detail, Exception? inner = null)
        : base($"Status({statusCode}, \"{detail}\")", inner)
    {
        StatusCode = statusCode;
        Detail = detail;
    }

    public GrpcStatusCode StatusCode { get; }

    /// <summary>The server's <c>grpc-message</c>, percent-decoded; or the client's description.</summary>
    public string Detail { get; }

    /// <summary>The requested revision is older than the compaction point ("mvcc: required revision has been compacted").</summary>
    public bool IsCompacted => StatusCode == GrpcStatusCode.OutOfRange && Detail.Contains("compacted", StringComparison.Ordinal);

    /// <summary>The requested revision is newer than the store ("mvcc: required revision is a future revision").</summary>
    public bool IsFutureRevision => StatusCode == GrpcStatusCode.OutOfRange && Detail.Contains("future revision", StringComparison.Ordinal);

    /// <summary>The member has no leader ("etcdserver: no leader").</summary>
    public bool IsNoLeader => StatusCode == GrpcStatusCode.Unavailable && Detail.Contains("no leader", StringComparison.Ordinal);

    /// <summary>"etcdserver: requested lease not found".</summary>
    public bool IsLeaseNotFound => StatusCode == GrpcStatusCode.NotFound && Detail.Contains("lease not found", StringComparison.Ordinal);

    public bool IsUnavailable => StatusCode == GrpcStatusCode.Unavailable;

    public bool IsDeadlineExceeded => StatusCode == GrpcStatusCode.DeadlineExceeded;
}
