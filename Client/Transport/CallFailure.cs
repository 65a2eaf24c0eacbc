using Grpc.Core;

namespace Coordinator.Client.Transport;

/// <summary>What a failed attempt means for retrying it.</summary>
internal enum FailureKind
{
    /// <summary>The request never reached a connection (no member reachable): safe to retry anything, writes included.</summary>
    NotSent,
    /// <summary>The member is unreachable or said UNAVAILABLE after the request may have been delivered:
    /// only read-only calls may be retried.</summary>
    Transient,
    /// <summary>An answer from the server that retrying will not change (InvalidArgument, NotFound, ...).</summary>
    Final,
}

internal readonly record struct CallFailure(FailureKind Kind, CoordinatorException Exception)
{
    public bool Retryable(bool readOnly) => Kind == FailureKind.NotSent || (Kind == FailureKind.Transient && readOnly);

    /// <param name="sent">Whether the attempt's request was handed to a connection (<see cref="RequestSentTracker"/>).
    /// A connection that could not even be opened counts as not sent.</param>
    /// <remarks>The caller rules out its own cancellation first: any other cancellation is a broken call.</remarks>
    public static CallFailure Classify(Exception e, bool sent = true) => e switch
    {
        RpcException { StatusCode: StatusCode.Unavailable, Status.DebugException: HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } } re =>
            new(FailureKind.NotSent, From(re)),
        CoordinatorException { StatusCode: StatusCode.Unavailable } ce => new(sent ? FailureKind.Transient : FailureKind.NotSent, ce),
        CoordinatorException ce => new(FailureKind.Final, ce),
        RpcException { StatusCode: StatusCode.Unavailable } re => new(sent ? FailureKind.Transient : FailureKind.NotSent, From(re)),
        // A connection torn mid-call surfaces as INTERNAL with the transport's exception.
        RpcException { StatusCode: StatusCode.Internal, Status.DebugException: IOException or HttpRequestException } re =>
            new(FailureKind.Transient, new CoordinatorException(StatusCode.Unavailable, "connection lost: " + re.Status.Detail, re)),
        RpcException re => new(FailureKind.Final, From(re)),
        IOException or HttpRequestException => new(FailureKind.Transient, new CoordinatorException(StatusCode.Unavailable, "connection lost: " + e.Message, e)),
        // Grpc.Net.Client reports a call its connection dropped under as cancelled.
        OperationCanceledException => new(FailureKind.Transient, new CoordinatorException(StatusCode.Unavailable, "call broken: " + e.Message, e)),
        _ => new(FailureKind.Final, new CoordinatorException(StatusCode.Unknown, e.Message, e)),
    };

    /// <summary>The server's status and text as the client reports it.</summary>
    public static CoordinatorException From(RpcException e) => new(e.StatusCode, e.Status.Detail, e);
}
