using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Coordinator.Silo.Tls;

/// <summary>
/// Auto TLS (--auto-tls, --peer-auto-tls) as etcd 3.4 does it: <c>cert.pem</c> and <c>key.pem</c> in a directory
/// under the data dir (<c>fixtures/client</c>, <c>fixtures/peer</c>), reused when both exist; otherwise a new
/// self-signed ECDSA P-521 certificate, organization "etcd", valid for a year, for server auth, with the listen
/// URLs' hosts as SANs (IPs as IP SANs, names as DNS SANs), and its key as an "EC PRIVATE KEY" PEM (mode 0600).
/// </summary>
public static class SelfSignedCertificate
{
    /// <summary>The cert and key paths in <paramref name="directory"/>; created if either is missing.
    /// Returns whether new files were written.</summary>
    public static (string CertFile, string KeyFile, bool Created) Ensure(string directory, IEnumerable<string> hosts)
    {
        Directory.CreateDirectory(directory);
        var certPath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        if (File.Exists(certPath) && File.Exists(keyPath)) return (certPath, keyPath, false);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        var request = new CertificateRequest(new X500DistinguishedName("O=etcd"), key, HashAlgorithmName.SHA512);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // server auth
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        var san = new SubjectAlternativeNameBuilder();
        var any = false;
        foreach (var host in hosts.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(host.Trim('[', ']'), out var ip)) san.AddIpAddress(ip);
            else san.AddDnsName(host);
            any = true;
        }
        if (any) request.CertificateExtensions.Add(san.Build());

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive 128-bit serial, as Go's rand.Int(2^128)
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.Create(request.SubjectName, X509SignatureGenerator.CreateForECDsa(key),
            now, now.AddDays(365), serial);
        File.WriteAllText(certPath, certificate.ExportCertificatePem() + "\n");
        var keyPem = key.ExportECPrivateKeyPem() + "\n";
        if (OperatingSystem.IsWindows()) File.WriteAllText(keyPath, keyPem);
        else
        {
            using var stream = new FileStream(keyPath, new FileStreamOptions
            {
                Mode = FileMode.Create, Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            using var writer = new StreamWriter(stream);
            writer.Write(keyPem);
        }
        return (certPath, keyPath, true);
    }

    /// <summary>Hosts of URLs as etcd takes them for the SANs (host without port).</summary>
    public static IEnumerable<string> HostsOf(IEnumerable<Uri> urls) => urls.Select(u => u.Host);
}
