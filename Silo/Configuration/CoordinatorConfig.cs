namespace Coordinator.Silo.Configuration;

/// <summary>A member's validated configuration (see <see cref="CoordinatorFlags"/> for the flags).</summary>
public sealed record CoordinatorConfig
{
    public required string Name { get; init; }
    public required string DataDir { get; init; }
    public required IReadOnlyList<Uri> ListenClientUrls { get; init; }
    public required IReadOnlyList<Uri> AdvertiseClientUrls { get; init; }
    public required IReadOnlyList<Uri> ListenPeerUrls { get; init; }
    public required IReadOnlyList<Uri> AdvertisePeerUrls { get; init; }
    /// <summary>Initial members by name with their peer URLs, in the order given.</summary>
    public required IReadOnlyList<(string Name, IReadOnlyList<Uri> PeerUrls)> InitialCluster { get; init; }
    public required bool NewCluster { get; init; }
    public required string ClusterToken { get; init; }
    /// <summary>True when the token was given explicitly (a mismatch with the data dir is then an error).</summary>
    public bool ClusterTokenExplicit { get; init; }
    public int HeartbeatMs { get; init; } = 100;
    public int ElectionMs { get; init; } = 1000;
    public ulong SnapshotCount { get; init; } = 100_000;
    public int MaxRequestBytes { get; init; } = 1_572_864;
    public int MaxTxnOps { get; init; } = 128;
    public long QuotaBackendBytes { get; init; } = 2L << 30;
    public string AutoCompactionMode { get; init; } = "periodic";
    public string AutoCompactionRetention { get; init; } = "0";
    public string LogLevel { get; init; } = "info";
    public bool StrictReconfigCheck { get; init; } = true;
    public bool ForceNewCluster { get; init; }
    /// <summary>--enable-v2: serve etcd's v2 API (/v2/keys, /v2/members, /v2/stats, /v2/machines). On by default.</summary>
    public bool EnableV2 { get; init; } = true;

    public TlsConfig Tls { get; init; } = TlsConfig.Default;
    public AuthConfig Auth { get; init; } = AuthConfig.Default;
    public DiscoveryConfig Discovery { get; init; } = DiscoveryConfig.Default;
    public SiloConfig Silo { get; init; } = SiloConfig.Default;

    public int ElectionTicks => ElectionMs / HeartbeatMs;
}
