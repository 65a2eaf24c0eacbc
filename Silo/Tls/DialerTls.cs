using System.Net.Security;
using System.Security.Authentication;

namespace Coordinator.Silo.Tls;

/// <summary>
/// The TLS client side of the peer dialer (and of a joining member's first question): the peer certificate is
/// offered as client certificate (the current file on every handshake), the server's certificate is checked
/// against the peer CA and host name. A refused server certificate fails the dial with
/// <see cref="PeerCertificateRejectedException"/>, whose message says why.
/// </summary>
public static class DialerTls
{
    public static SslClientAuthenticationOptions Options(PemCertificateSource? certificate, PresentedCertificateCheck check,
        CipherSuitesPolicy? cipherSuites) => new()
    {
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        CipherSuitesPolicy = cipherSuites,
        CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        LocalCertificateSelectionCallback = certificate is null ? null : (_, _, _, _, _) => certificate.Leaf,
        RemoteCertificateValidationCallback = (_, presented, chain, errors) =>
            check.RefuseServer(presented, chain, errors) is { } reason ? throw new PeerCertificateRejectedException(reason) : true,
    };
}
