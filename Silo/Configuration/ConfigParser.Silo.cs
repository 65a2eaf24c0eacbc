using System.Net;

namespace Coordinator.Silo.Configuration;

public static partial class ConfigParser
{
    /// <summary>Validates the member silo's flags; the advertised address defaults to the advertised peer URL's
    /// host when that is an IP address.</summary>
    private static SiloConfig BuildSilo(Func<string, string> get, IReadOnlyList<Uri> advertisePeerUrls)
    {
        var text = get("silo-advertise-address").Trim();
        IPAddress address;
        if (text.Length > 0)
        {
            if (!IPAddress.TryParse(text, out address!))
                throw new ConfigurationException($"--silo-advertise-address: '{text}' is not an IP address");
        }
        else if (advertisePeerUrls.Count == 0 || !IPAddress.TryParse(advertisePeerUrls[0].Host.Trim('[', ']'), out address!)
                 || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            address = IPAddress.Loopback;
        }
        return new SiloConfig
        {
            SiloPort = Int("silo-port", get("silo-port"), 0, 65535),
            GatewayPort = Int("silo-gateway-port", get("silo-gateway-port"), 0, 65535),
            AdvertiseAddress = address,
            Dashboard = Bool("enable-dashboard", get("enable-dashboard")),
        };
    }
}
