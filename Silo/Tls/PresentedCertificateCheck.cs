using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Coordinator.Silo.Configuration;

namespace Coordinator.Silo.Tls;

/// <summary>
/// The checks etcd 3.4 makes on the certificate the other side of a TLS connection presents. On a listener (the
/// client's certificate): a chain to the trusted CA file for client auth, not expired; the allowed CN or hostname;
/// no certificate of the chain in the CRL; for peers, the certificate's SANs must match the connecting address
/// (unless --experimental-peer-skip-client-san-verification). On a dial (the server's certificate): a chain to the
/// trusted CA for server auth and the host name; none with auto TLS (etcd skips verification of self-signed peers).
/// Each method returns null to accept, or the reason to refuse.
/// </summary>
public sealed class PresentedCertificateCheck(
    TlsConfig.Side side,
    ReloadingFile<X509Certificate2Collection>? trustedCas,
    ReloadingFile<RevocationList>? revocations,
    bool checkClientSan,
    bool skipServerVerification)
{
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");

    public string? RefuseClient(X509Certificate? presented, X509Chain? sent, IPAddress? remote)
    {
        if (presented is null) return "no client certificate was presented";
        var leaf = presented as X509Certificate2 ?? new X509Certificate2(presented);
        var chainFailure = VerifyChain(leaf, sent, trustedCas?.Value, ClientAuth, out var chain);
        if (chainFailure is not null) return $"client certificate {Describe(leaf)} is not trusted: {chainFailure}";
        if (side.AllowedCn.Length > 0 && leaf.GetNameInfo(X509NameType.SimpleName, false) != side.AllowedCn)
            return $"client certificate authentication failed: {Describe(leaf)} does not have the allowed CN \"{side.AllowedCn}\"";
        if (side.AllowedHostname.Length > 0 && !leaf.MatchesHostname(side.AllowedHostname, allowWildcards: true, allowCommonName: false))
            return $"client certificate authentication failed: {Describe(leaf)} is not valid for the allowed hostname \"{side.AllowedHostname}\"";
        if (revocations?.Value.FindRevoked(chain) is { } revoked)
            return $"transport: certificate serial {revoked.SerialNumber.ToLowerInvariant()} revoked";
        if (checkClientSan && remote is not null && SanMismatch(leaf, remote) is { } mismatch) return mismatch;
        return null;
    }

    public string? RefuseServer(X509Certificate? presented, X509Chain? sent, SslPolicyErrors errors)
    {
        if (skipServerVerification) return null;
        if (presented is null) return "the server presented no certificate";
        var leaf = presented as X509Certificate2 ?? new X509Certificate2(presented);
        var chainFailure = VerifyChain(leaf, sent, trustedCas?.Value, ServerAuth, out _);
        if (chainFailure is not null) return $"server certificate {Describe(leaf)} is not trusted: {chainFailure}";
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return $"server certificate {Describe(leaf)} is not valid for the host dialled (its SANs do not match)";
        return null;
    }

    /// <summary>Null when <paramref name="leaf"/> chains to <paramref name="roots"/> (the system store when null) for
    /// <paramref name="usage"/>; otherwise what is wrong. <paramref name="chain"/>: the certificates of the chain.</summary>
    private static string? VerifyChain(X509Certificate2 leaf, X509Chain? sent, X509Certificate2Collection? roots, Oid usage,
        out List<X509Certificate2> chain)
    {
        using var builder = new X509Chain();
        var policy = builder.ChainPolicy;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.ApplicationPolicy.Add(usage);
        if (roots is not null)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(roots);
        }
        if (sent is not null)
        {
            policy.ExtraStore.AddRange(sent.ChainPolicy.ExtraStore);
            foreach (var element in sent.ChainElements) policy.ExtraStore.Add(element.Certificate);
        }
        var ok = builder.Build(leaf);
        chain = builder.ChainElements.Select(e => e.Certificate).ToList();
        if (chain.Count == 0) chain.Add(leaf);
        if (ok) return null;
        var problems = builder.ChainStatus.Where(s => s.Status != X509ChainStatusFlags.NoError)
            .Select(s => s.StatusInformation.Trim().TrimEnd('.')).Where(s => s.Length > 0).Distinct().ToList();
        return problems.Count > 0 ? string.Join("; ", problems) : "the chain does not verify";
    }

    /// <summary>etcd's checkCertSAN: a certificate with SANs must name the connecting IP, directly or through a DNS
    /// SAN that resolves to it.</summary>
    private static string? SanMismatch(X509Certificate2 leaf, IPAddress remote)
    {
        if (remote.IsIPv4MappedToIPv6) remote = remote.MapToIPv4();
        var extension = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (extension is null) return null;
        var ips = extension.EnumerateIPAddresses().ToList();
        var names = extension.EnumerateDnsNames().ToList();
        if (ips.Count == 0 && names.Count == 0) return null;
        if (ips.Any(ip => ip.Equals(remote))) return null;
        if (names.Count == 0) return $"x509: certificate is valid for {string.Join(", ", ips)}, not {remote}";
        foreach (var name in names.Where(n => !n.StartsWith("*.", StringComparison.Ordinal)))
        {
            try
            {
                if (Dns.GetHostAddresses(name).Any(a => (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Equals(remote))) return null;
            }
            catch (System.Net.Sockets.SocketException)
            {
                // a name that does not resolve does not match
            }
        }
        return $"tls: \"{remote}\" does not match any of DNSNames [{string.Join(" ", names.Select(n => $"\"{n}\""))}]";
    }

    private static string Describe(X509Certificate2 certificate) =>
        $"\"{certificate.Subject}\" (issuer \"{certificate.Issuer}\", serial {certificate.SerialNumber.ToLowerInvariant()})";
}
