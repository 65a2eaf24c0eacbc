using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// Marks a cleartext connection that opened with the HTTP/2 preface. Kestrel picks HTTP/2 on an
/// Http1AndHttp2 endpoint only when a TLS feature says ALPN chose "h2"; without TLS it always picks HTTP/1.1.
/// These features say exactly that, and nothing else: there is no certificate and no handshake feature, so
/// Kestrel's TLS-version checks for HTTP/2 do not apply. Side effect: the connection's transport scheme is
/// "https" (hence AllowAlternateSchemes in <see cref="ListenOptionsExtensions.UseCoordinatorProtocols"/>).
/// </summary>
internal sealed class PriorKnowledgeHttp2Features : ITlsConnectionFeature, ITlsApplicationProtocolFeature
{
    private static readonly ReadOnlyMemory<byte> H2 = "h2"u8.ToArray();

    public static PriorKnowledgeHttp2Features Instance { get; } = new();

    public ReadOnlyMemory<byte> ApplicationProtocol => H2;

    public X509Certificate2? ClientCertificate
    {
        get => null;
        set => throw new NotSupportedException("cleartext HTTP/2 has no client certificate");
    }

    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) =>
        Task.FromResult<X509Certificate2?>(null);
}
