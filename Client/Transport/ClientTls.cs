using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Coordinator.Client.Transport;

/// <summary>
/// The client's TLS from <see cref="CoordinatorClientOptions"/>: TLS 1.2 at least, the client certificate offered
/// whenever a member asks, and each member's certificate checked against the trusted CA file (or the system's
/// roots) for server auth and against the endpoint's host (or <see cref="CoordinatorClientOptions.ServerName"/>).
/// Files are read once, when the client is created; a missing or bad file is an <see cref="ArgumentException"/>.
/// </summary>
internal static class ClientTls
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");

    public static SslClientAuthenticationOptions Create(CoordinatorClientOptions options)
    {
        var roots = options.TrustedCaFile is { Length: > 0 } caFile ? LoadCas(caFile) : null;
        var certificate = LoadCertificate(options.CertFile, options.KeyFile);
        var serverName = options.ServerName is { Length: > 0 } name ? name : null;
        var skip = options.InsecureSkipTlsVerify;
        return new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            LocalCertificateSelectionCallback = certificate is null ? null : (_, _, _, _, _) => certificate,
            RemoteCertificateValidationCallback = (_, presented, chain, errors) =>
                skip || presented is not null && Trusted(new X509Certificate2(presented), chain, errors, roots, serverName),
        };
    }

    private static bool Trusted(X509Certificate2 leaf, X509Chain? sent, SslPolicyErrors errors, X509Certificate2Collection? roots,
        string? serverName)
    {
        if (serverName is not null ? !leaf.MatchesHostname(serverName, allowWildcards: true, allowCommonName: false)
                : (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return false;
        if (roots is null) return (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ServerAuth);
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        if (sent is not null)
            foreach (var element in sent.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        return chain.Build(leaf);
    }

    private static X509Certificate2Collection LoadCas(string path)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"cannot load the trusted CA file {path}: {e.Message}", nameof(CoordinatorClientOptions.TrustedCaFile), e);
        }
        if (roots.Count == 0) throw new ArgumentException($"the trusted CA file {path} holds no certificate", nameof(CoordinatorClientOptions.TrustedCaFile));
        return roots;
    }

    private static X509Certificate2? LoadCertificate(string? certFile, string? keyFile)
    {
        var hasCert = certFile is { Length: > 0 };
        var hasKey = keyFile is { Length: > 0 };
        if (!hasCert && !hasKey) return null;
        if (hasCert != hasKey) throw new ArgumentException("CertFile and KeyFile must be given together", hasCert ? nameof(CoordinatorClientOptions.KeyFile) : nameof(CoordinatorClientOptions.CertFile));
        try
        {
            return X509Certificate2.CreateFromPemFile(certFile!, keyFile!);
        }
        catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"cannot load the client certificate {certFile} with key {keyFile}: {e.Message}", nameof(CoordinatorClientOptions.CertFile), e);
        }
    }
}
