using System.Net.Security;
using Coordinator.Silo.Tls;

namespace Coordinator.Silo.Configuration;

public static partial class ConfigParser
{
    /// <summary>Validates the flags of TLS for clients and peers (etcd's --cert-file, --peer-cert-file, ...), with
    /// etcd 3.4's error texts. Files are not opened here: that happens when the listeners start.</summary>
    private static TlsConfig BuildTls(Func<string, string> get, Func<string, string?> explicitValue)
    {
        var suites = new List<TlsCipherSuite>();
        foreach (var name in get("cipher-suites").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!GoCipherSuites.TryGet(name, out var suite))
                throw new ConfigurationException($"unexpected TLS cipher suite \"{name}\"");
            suites.Add(suite);
        }
        var client = new TlsConfig.Side
        {
            CertFile = get("cert-file"),
            KeyFile = get("key-file"),
            TrustedCaFile = get("trusted-ca-file"),
            ClientCertAuth = Bool("client-cert-auth", get("client-cert-auth")),
            CrlFile = get("client-crl-file"),
            AllowedHostname = get("client-cert-allowed-hostname"),
            AutoTls = Bool("auto-tls", get("auto-tls")),
        };
        var peer = new TlsConfig.Side
        {
            CertFile = get("peer-cert-file"),
            KeyFile = get("peer-key-file"),
            TrustedCaFile = get("peer-trusted-ca-file"),
            ClientCertAuth = Bool("peer-client-cert-auth", get("peer-client-cert-auth")),
            CrlFile = get("peer-crl-file"),
            AllowedCn = get("peer-cert-allowed-cn"),
            AllowedHostname = get("peer-cert-allowed-hostname"),
            AutoTls = Bool("peer-auto-tls", get("peer-auto-tls")),
            SkipClientSanVerify = Bool("experimental-peer-skip-client-san-verification", get("experimental-peer-skip-client-san-verification")),
        };
        if (peer.AllowedCn.Length > 0 && peer.AllowedHostname.Length > 0)
            throw new ConfigurationException(
                $"AllowedCN and AllowedHostname are mutually exclusive (cn=\"{peer.AllowedCn}\", hostname=\"{peer.AllowedHostname}\")");
        return new TlsConfig { Client = client, Peer = peer, CipherSuites = suites };
    }

    /// <summary>After the URLs are known: an https:// URL needs a certificate and key (or auto TLS), as etcd checks.</summary>
    private static void CheckTlsUrls(TlsConfig tls, IReadOnlyList<Uri> listenClient, IReadOnlyList<Uri> listenPeer)
    {
        foreach (var url in listenClient.Where(u => u.Scheme == "https"))
        {
            if (tls.Client.Empty && !tls.Client.AutoTls)
                throw new ConfigurationException(
                    $"TLS key/cert (--cert-file, --key-file) must be provided for client url {url.GetLeftPart(UriPartial.Authority)} with HTTPS scheme");
            CheckBothFiles(tls.Client);
        }
        foreach (var url in listenPeer.Where(u => u.Scheme == "https"))
        {
            if (tls.Peer.Empty && !tls.Peer.AutoTls)
                throw new ConfigurationException($"cannot listen on TLS for {url.Authority}: KeyFile and CertFile are not presented");
            CheckBothFiles(tls.Peer);
        }
    }

    private static void CheckBothFiles(TlsConfig.Side side)
    {
        if (!side.Empty && (side.CertFile.Length == 0 || side.KeyFile.Length == 0))
            throw new ConfigurationException($"KeyFile and CertFile must both be present[key: {side.KeyFile}, cert: {side.CertFile}]");
    }
}
