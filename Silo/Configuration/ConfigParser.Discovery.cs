using System.Net;

namespace Coordinator.Silo.Configuration;

public static partial class ConfigParser
{
    /// <summary>etcd's text for more than one way to bootstrap (embed.ErrConflictBootstrapFlags).</summary>
    internal const string ConflictBootstrapFlags =
        "multiple discovery or bootstrap flags are set. Choose one of \"initial-cluster\", \"discovery\" or \"discovery-srv\"";

    /// <summary>One way to bootstrap at most: checked before --initial-cluster itself is looked at (as etcd does).</summary>
    private static void CheckOneBootstrapWay(Func<string, string> get, Func<string, string?> explicitValue)
    {
        var given = new[] { get("discovery").Trim().Length > 0, explicitValue("initial-cluster") is { Length: > 0 }, get("discovery-srv").Trim().Length > 0 };
        if (given.Count(g => g) > 1) throw new ConfigurationException(ConflictBootstrapFlags);
    }

    /// <summary>Validates the flags of discovery (etcd's --discovery, --discovery-srv, ...).</summary>
    private static DiscoveryConfig BuildDiscovery(Func<string, string> get, Func<string, string?> explicitValue)
    {
        CheckOneBootstrapWay(get, explicitValue);
        var url = get("discovery").Trim();
        var domain = get("discovery-srv").Trim().TrimEnd('.');

        var fallback = get("discovery-fallback");
        if (fallback is not ("exit" or "proxy"))
            throw new ConfigurationException($"invalid value \"{fallback}\" for flag -discovery-fallback: invalid value (valid: \"exit\", \"proxy\")");
        Uri? discovery = null;
        if (url.Length > 0 && (!Uri.TryCreate(url, UriKind.Absolute, out discovery) || discovery.Scheme is not ("http" or "https")
                               || discovery.AbsolutePath.Trim('/').Length == 0))
            throw new ConfigurationException($"--discovery: '{url}' is not a discovery URL like http://host:2379/v2/keys/_etcd/registry/<token>");
        Uri? proxy = null;
        var proxyText = get("discovery-proxy").Trim();
        if (proxyText.Length > 0)
        {
            // As etcd: a proxy without a scheme is taken as http://.
            var withScheme = proxyText.Contains("://", StringComparison.Ordinal) ? proxyText : "http://" + proxyText;
            if (!Uri.TryCreate(withScheme, UriKind.Absolute, out proxy) || !proxy.Scheme.StartsWith("http", StringComparison.Ordinal))
                throw new ConfigurationException($"invalid proxy address \"{proxyText}\"");
        }
        IPEndPoint? dns = null;
        var dnsText = get("dns-server").Trim();
        if (dnsText.Length > 0)
        {
            if (IPAddress.TryParse(dnsText, out var ip)) dns = new IPEndPoint(ip, 53);
            else if (!IPEndPoint.TryParse(dnsText, out dns))
                throw new ConfigurationException($"--dns-server: '{dnsText}' is not an address like 127.0.0.1:53");
        }
        return new DiscoveryConfig
        {
            Url = discovery,
            Fallback = fallback,
            Proxy = proxy,
            SrvDomain = domain.Length > 0 ? domain : null,
            SrvName = get("discovery-srv-name").Trim(),
            Retries = Int("discovery-retries", get("discovery-retries"), 0, 1_000_000),
            DnsServer = dns,
        };
    }
}
