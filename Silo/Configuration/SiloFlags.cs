namespace Coordinator.Silo.Configuration;

/// <summary>Coordinator's own flags for the member's Orleans silo (etcd has none). Ports default to 0: a free
/// port chosen when the member starts, so that several members on one host need no flags; silos and Orleans
/// clients find each other through the membership table, not through fixed ports.</summary>
internal static class SiloFlags
{
    public static readonly FlagSpec[] All =
    [
        new("silo-port", "0", "Port of the member's Orleans silo for silo-to-silo traffic (0: a free port chosen at start)."),
        new("silo-gateway-port", "0", "Port of the member's Orleans gateway for Orleans clients (0: a free port chosen at start)."),
        new("silo-advertise-address", "", "IP address the silo advertises to other silos (default: the host of the first --initial-advertise-peer-urls when it is an IP, else 127.0.0.1)."),
        new("enable-dashboard", "false", "Serve the Orleans Dashboard on the client URLs at /dashboard.", IsBoolean: true),
    ];
}
