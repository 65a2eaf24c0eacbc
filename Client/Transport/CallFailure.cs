using System.Net.Http;

namespace Coordinator.Client.Transport;

/// <summary>What a failed attempt means for retrying it.</summary>
internal enum FailureKind
{
    /// <summary>The request never left the client (connection refused, name resolution, dial timeout):
    /// safe to retry anything, writes included.</summary>
    NotSent,
    /// <summary>The endpoint is unreachable or said UNAVAILABLE after the request may have been delivered:
    /// only idempotent calls may be retried.</summary>
    Transient,
    /// <summary>An answer from the server that retrying will not change (InvalidArgument, NotFound, ...).</summary>
    Final,
}

internal readonly record struct CallFailure(FailureKind Kind, CoordinatorException Exception)
{
    public bool EndpointSuspect => Kind != FailureKind.Final;

    public bool Retryable(bool idempotent) => Kind == FailureKind.NotSent || (Kind == FailureKind.Transient && idempotent);

    public static CallFailure Classify(Exception e) => e switch
    {
        CoordinatorException { StatusCode: GrpcStatusCode.Unavailable } ce => new(FailureKind.Transient, ce),
        CoordinatorException ce => new(FailureKind.Final, ce),
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } hre
            => new(FailureKind.NotSent, Unavailable("connection failed before the request was sent", hre)),
        HttpRequestException hre => new(FailureKind.Transient, Unavailable("connection lost", hre)),
        IOException io => new(FailureKind.Transient, Unavailable("connection lost", io)),
        // SocketsHttpHandler reports ConnectTimeout as a cancellation the caller did not ask for.
        OperationCanceledException oce when oce.InnerException is TimeoutException
            => new(FailureKind.NotSent, Unavailable("dial timeout", oce)),
        _ => new(FailureKind.Final, new CoordinatorException(GrpcStatusCode.Unknown, e.Message, e)),
    };

    private static CoordinatorException Unavailable(string what, Exception inner) =>
        new(GrpcStatusCode.Unavailable, $"{what}: {inner.Message}", inner);
}
