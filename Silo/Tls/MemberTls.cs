using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Coordinator.Silo.Configuration;
using Microsoft.Extensions.Logging;

namespace Coordinator.Silo.Tls;

/// <summary>
/// One member's TLS, built once at start from <see cref="TlsConfig"/>: auto TLS files are written first (etcd's
/// <c>&lt;data-dir&gt;/fixtures/client</c> and <c>/fixtures/peer</c>), then the certificate, CA and CRL files are
/// loaded (a problem stops the member with a clear line). <see cref="Client"/> and <see cref="Peer"/> are null when
/// no URL of that side is https://. Owns the file sources; they reload themselves on change.
/// </summary>
public sealed class MemberTls
{
    private static readonly IReadOnlyList<SslApplicationProtocol> ClientProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];
    private static readonly IReadOnlyList<SslApplicationProtocol> PeerProtocols = [SslApplicationProtocol.Http2];

    private MemberTls(ListenerTls? client, ListenerTls? peer, SslClientAuthenticationOptions? peerDialer)
    {
        Client = client;
        Peer = peer;
        PeerDialer = peerDialer;
    }

    /// <summary>TLS of the client listeners, or null when every client URL is http://.</summary>
    public ListenerTls? Client { get; }

    /// <summary>TLS of the peer listeners, or null when every listen peer URL is http://.</summary>
    public ListenerTls? Peer { get; }

    /// <summary>TLS of dials to https:// peer URLs, or null when this member has no peer TLS settings.</summary>
    public SslClientAuthenticationOptions? PeerDialer { get; }

    public static MemberTls Create(CoordinatorConfig config, ILogger logger)
    {
        var tls = config.Tls;
        var policy = GoCipherSuites.Policy(tls.CipherSuites);
        var refusals = new RefusalLog(logger);
        WarnIgnoredOnHttp(config.ListenClientUrls, tls.Client, "client", logger);
        WarnIgnoredOnHttp(config.ListenPeerUrls, tls.Peer, "peer", logger);

        ListenerTls? client = null;
        if (config.ListenClientUrls.Any(u => u.Scheme == "https"))
        {
            var side = WithAutoTls(tls.Client, config.DataDir, "client", config.ListenClientUrls, logger, out var selfSigned);
            var check = Check(side, selfSigned, checkClientSan: false, logger);
            client = new ListenerTls("client", new PemCertificateSource(side.CertFile, side.KeyFile, logger),
                side.RequiresClientCertificate, check, policy, ClientProtocols, refusals);
        }

        var peerUsesTls = config.ListenPeerUrls.Concat(config.AdvertisePeerUrls).Concat(config.InitialCluster.SelectMany(m => m.PeerUrls))
            .Any(u => u.Scheme == "https");
        ListenerTls? peer = null;
        SslClientAuthenticationOptions? dialer = null;
        if (peerUsesTls && (!tls.Peer.Empty || tls.Peer.AutoTls))
        {
            var side = WithAutoTls(tls.Peer, config.DataDir, "peer", config.ListenPeerUrls, logger, out var selfSigned);
            var certificate = new PemCertificateSource(side.CertFile, side.KeyFile, logger);
            var check = Check(side, selfSigned, checkClientSan: !side.SkipClientSanVerify, logger);
            if (config.ListenPeerUrls.Any(u => u.Scheme == "https"))
                peer = new ListenerTls("peer", certificate, side.RequiresClientCertificate, check, policy, PeerProtocols, refusals);
            dialer = DialerTls.Options(certificate, check, policy);
        }
        else if (peerUsesTls)
        {
            // Dialling https:// peers without our own certificate: verify them against the system's roots.
            dialer = DialerTls.Options(null, new PresentedCertificateCheck(tls.Peer, null, null, false, false), policy);
        }
        return new MemberTls(client, peer, dialer);
    }

    /// <summary>The side's settings, with generated files in place of none when auto TLS is on (as etcd, auto TLS
    /// drops the side's CA and client-cert settings: a self-signed member verifies nobody and is verified by nobody).</summary>
    private static TlsConfig.Side WithAutoTls(TlsConfig.Side side, string dataDir, string name, IReadOnlyList<Uri> listenUrls,
        ILogger logger, out bool selfSigned)
    {
        selfSigned = false;
        if (!side.AutoTls) return side;
        if (!side.Empty)
        {
            TlsLog.AutoTlsIgnored(logger, name);
            return side;
        }
        var hosts = SelfSignedCertificate.HostsOf(listenUrls).ToList();
        var (cert, key, created) = SelfSignedCertificate.Ensure(Path.Combine(dataDir, "fixtures", name), hosts);
        if (created) TlsLog.SelfSignedCreated(logger, name, cert, string.Join(",", hosts));
        selfSigned = true;
        return new TlsConfig.Side { CertFile = cert, KeyFile = key, SkipClientSanVerify = side.SkipClientSanVerify };
    }

    private static PresentedCertificateCheck Check(TlsConfig.Side side, bool selfSigned, bool checkClientSan, ILogger logger)
    {
        var cas = side.TrustedCaFile.Length == 0 ? null : new ReloadingFile<X509Certificate2Collection>(side.TrustedCaFile,
            "trusted CA file", path =>
            {
                var bundle = new X509Certificate2Collection();
                bundle.ImportFromPemFile(path);
                if (bundle.Count == 0) throw new FormatException("no certificate in it");
                return bundle;
            }, logger);
        var crl = side.CrlFile.Length == 0 ? null : new ReloadingFile<RevocationList>(side.CrlFile, "CRL file", RevocationList.Load, logger);
        return new PresentedCertificateCheck(side, cas, crl, checkClientSan, skipServerVerification: selfSigned);
    }

    private static void WarnIgnoredOnHttp(IReadOnlyList<Uri> urls, TlsConfig.Side side, string name, ILogger logger)
    {
        foreach (var url in urls.Where(u => u.Scheme == "http"))
        {
            if (!side.Empty) TlsLog.IgnoredOnHttp(logger, "key and cert files are present", url);
            if (side.ClientCertAuth) TlsLog.IgnoredOnHttp(logger, $"--{(name == "peer" ? "peer-" : "")}client-cert-auth is enabled", url);
        }
    }
}
