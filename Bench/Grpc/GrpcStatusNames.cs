namespace Coordinator.Bench.Grpc;

/// <summary>The canonical names of gRPC status codes, for error tallies.</summary>
public static class GrpcStatusNames
{
    private static readonly string[] Names =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    public const int Unimplemented = 12;

    public static string Of(int status) => status >= 0 && status < Names.Length ? Names[status] : $"STATUS_{status}";
}
