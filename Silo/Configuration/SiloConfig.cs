using System.Net;

namespace Coordinator.Silo.Configuration;

/// <summary>The validated settings of the member's Orleans silo.</summary>
public sealed record SiloConfig
{
    public static readonly SiloConfig Default = new();

    /// <summary>--silo-port; 0 is a free port chosen at start.</summary>
    public int SiloPort { get; init; }
    /// <summary>--silo-gateway-port; 0 is a free port chosen at start.</summary>
    public int GatewayPort { get; init; }
    /// <summary>--silo-advertise-address: the address other silos dial.</summary>
    public IPAddress AdvertiseAddress { get; init; } = IPAddress.Loopback;
    /// <summary>--enable-dashboard: the Orleans Dashboard at /dashboard on the client URLs.</summary>
    public bool Dashboard { get; init; }
}
