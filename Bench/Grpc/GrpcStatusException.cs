namespace Coordinator.Bench.Grpc;

/// <summary>A call that ended with a non-zero grpc-status, or an HTTP status other than 200.</summary>
public sealed class GrpcStatusException(int status, string detail) : Exception($"{GrpcStatusNames.Of(status)}: {detail}")
{
    /// <summary>The grpc-status; -1 when the HTTP layer failed before any gRPC status arrived.</summary>
    public int Status { get; } = status;

    /// <summary>Short label for error tallies, e.g. "UNAVAILABLE".</summary>
    public string Label => Status < 0 ? $"HTTP {Detail}" : GrpcStatusNames.Of(Status);

    public string Detail { get; } = detail;
}
