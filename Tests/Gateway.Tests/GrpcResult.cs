namespace Coordinator.Tests.Gateway;

/// <summary>What a test call saw: the gRPC status, where it came from, and the response messages.</summary>
public sealed record GrpcResult<T>(int Status, string? Message, bool TrailersOnly, IReadOnlyList<T> Responses)
{
    public T Single() => Responses.Count == 1
        ? Responses[0]
        : throw new InvalidOperationException($"expected one response, got {Responses.Count}; status {Status} {Message}");
}
