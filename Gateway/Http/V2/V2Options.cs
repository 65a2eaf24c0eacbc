namespace Coordinator.Gateway.Http.V2;

/// <summary>Settings of the v2 API.</summary>
public sealed record V2Options
{
    /// <summary>--max-request-bytes: a larger v2 write is refused as etcd refuses it ("request is too large").</summary>
    public int MaxRequestBytes { get; init; } = 1_572_864;
}
