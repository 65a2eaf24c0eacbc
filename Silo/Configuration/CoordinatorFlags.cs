namespace Coordinator.Silo.Configuration;

/// <summary>The flags `coordinator` accepts: etcd's names, meanings and defaults. Each feature's flags live in
/// its own list (TLS, auth, discovery) and are listed here after the core ones.</summary>
internal static class CoordinatorFlags
{
    public static readonly FlagSpec[] All = [.. Core(), .. TlsFlags.All, .. AuthFlags.All, .. DiscoveryFlags.All, .. SiloFlags.All];

    private static FlagSpec[] Core() =>
    [
        new("name", "default", "Human-readable name for this member."),
        new("data-dir", "", "Path to the data directory (default: ${name}.coordinator)."),
        new("listen-client-urls", "http://127.0.0.1:2379", "List of URLs to listen on for client traffic (gRPC and HTTP)."),
        new("advertise-client-urls", "", "List of this member's client URLs to advertise to the cluster (default: listen-client-urls)."),
        new("listen-peer-urls", "http://127.0.0.1:2380", "List of URLs to listen on for peer traffic."),
        new("initial-advertise-peer-urls", "", "List of this member's peer URLs to advertise to the cluster (default: listen-peer-urls)."),
        new("initial-cluster", "", "Initial cluster configuration for bootstrapping, e.g. 'a=http://10.0.0.1:2380,b=...' (default: ${name}=${initial-advertise-peer-urls})."),
        new("initial-cluster-state", "new", "Initial cluster state ('new' or 'existing')."),
        new("initial-cluster-token", "etcd-cluster", "Initial cluster token for the cluster during bootstrap."),
        new("heartbeat-interval", "100", "Time (in milliseconds) of a heartbeat interval."),
        new("election-timeout", "1000", "Time (in milliseconds) for an election to timeout."),
        new("snapshot-count", "100000", "Number of committed transactions to trigger a snapshot to disk."),
        new("max-request-bytes", "1572864", "Maximum client request size in bytes the server will accept."),
        new("max-txn-ops", "128", "Maximum number of operations permitted in a transaction."),
        new("quota-backend-bytes", "0", "Raise alarms when the store exceeds the given quota (0 defaults to 2 GiB)."),
        new("auto-compaction-mode", "periodic", "Interpret 'auto-compaction-retention' as 'periodic' (duration) or 'revision'."),
        new("auto-compaction-retention", "0", "Auto compaction retention (0 = off): hours or a duration like '30m' for periodic, a count for revision."),
        new("log-level", "info", "Configures log level: debug, info, warn, error."),
        new("strict-reconfig-check", "true", "Reject reconfiguration requests that would cause quorum loss.", IsBoolean: true),
        new("enable-v2", "true", "Accept etcd V2 client requests (/v2/keys, /v2/members, /v2/stats, /v2/machines).", IsBoolean: true),
        new("force-new-cluster", "false", "Force to create a new one-member cluster from this member's data (recovery).", IsBoolean: true),
    ];

    public static string HelpText()
    {
        var lines = new List<string>
        {
            "Usage: coordinator [flags]",
            "       coordinator snapshot restore FILE --name ... --initial-cluster ... [--data-dir ...]",
            "       coordinator snapshot status FILE",
            "",
            "A Raft-replicated coordination service that speaks etcd's v3 API (and its v2 API unless --enable-v2=false).",
            "Every flag may also be set as COORDINATOR_<FLAG> or ETCD_<FLAG> (e.g. ETCD_INITIAL_CLUSTER).",
            "",
            "Flags:",
        };
        foreach (var f in All)
            lines.Add($"  --{f.Name,-30} {f.Help}" + (f.Default.Length > 0 ? $" (default '{f.Default}')" : ""));
        lines.Add($"  --{"version",-30} Print the version and exit.");
        lines.Add($"  --{"help",-30} Show this help and exit.");
        return string.Join(Environment.NewLine, lines);
    }
}
