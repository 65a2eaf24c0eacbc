using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Coordinator.Silo.Tls;

/// <summary>
/// The TLS server side of one kind of listener (clients or peers). Every new connection gets its options afresh
/// (<see cref="HandshakeOptions"/>), so a rotated certificate, CA or CRL file is used by the next connection
/// while open ones keep theirs. TLS 1.2 at least; ALPN offers <paramref name="protocols"/>. A refused client
/// certificate fails the handshake and is logged once per remote address and certificate.
/// </summary>
public sealed class ListenerTls(
    string side,
    PemCertificateSource certificate,
    bool requireClientCertificate,
    PresentedCertificateCheck check,
    CipherSuitesPolicy? cipherSuites,
    IReadOnlyList<SslApplicationProtocol> protocols,
    RefusalLog refusals)
{
    /// <summary>A handshake that has not finished by then is dropped (etcd: the client's dial timeout decides).</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    public TlsHandshakeCallbackOptions HandshakeOptions => new()
    {
        OnConnection = context => ValueTask.FromResult(OptionsFor(context.Connection.RemoteEndPoint as IPEndPoint)),
        HandshakeTimeout = HandshakeTimeout,
    };

    /// <summary>The options for one connection from <paramref name="remote"/>.</summary>
    public SslServerAuthenticationOptions OptionsFor(IPEndPoint? remote) => new()
    {
        ServerCertificateContext = certificate.Context,
        ClientCertificateRequired = requireClientCertificate,
        CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        CipherSuitesPolicy = cipherSuites,
        ApplicationProtocols = protocols.ToList(),
        RemoteCertificateValidationCallback = requireClientCertificate
            ? (_, presented, chain, _) =>
            {
                var reason = check.RefuseClient(presented, chain, remote?.Address);
                if (reason is null) return true;
                refusals.Refused(side, remote?.Address.ToString() ?? "?", presented?.GetCertHashString() ?? "none", reason);
                return false;
            }
            : null,
    };
}
