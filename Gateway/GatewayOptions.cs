namespace Coordinator.Gateway;

/// <summary>Settings of the client-facing gateway (one instance per member).</summary>
public sealed record GatewayOptions
{
    /// <summary>etcd's gRPC receive limit: --max-request-bytes (1.5 MiB) plus 512 KiB of gRPC overhead.
    /// A larger request message is refused with RESOURCE_EXHAUSTED before it is read.</summary>
    public int MaxRequestBytes { get; init; } = 1572864 + 512 * 1024;

    /// <summary>What /version reports as the server version (etcdctl and clients parse it as semver).</summary>
    public string ServerVersion { get; init; } = "3.4.0-coordinator";

    /// <summary>What /version reports as the cluster version.</summary>
    public string ClusterVersion { get; init; } = "3.4.0";

    /// <summary>Maintenance.Status's version when the node reports none.</summary>
    public string StatusVersion { get; init; } = "3.4.0";

    /// <summary>How long /health waits for a linearizable read before reporting unhealthy.</summary>
    public TimeSpan HealthCheckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Silence on a client connection after which the server PINGs it (etcd's --grpc-keepalive-interval, 2 h).</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromHours(2);

    /// <summary>How long that PING may go unanswered before the connection is closed (--grpc-keepalive-timeout, 20 s).</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Tokens, password hashing and client-certificate users (etcd's --auth-token, --bcrypt-cost, ...).</summary>
    public Auth.AuthOptions Auth { get; init; } = new();

    /// <summary>How often the leader is sampled for etcd_server_leader_changes_seen_total and grpc.health.v1.</summary>
    public TimeSpan LeaderSampleInterval { get; init; } = TimeSpan.FromMilliseconds(100);
}
