using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Coordinator.Bench.Comparison;

/// <summary>
/// compare --tls: a fresh CA, a server certificate for 127.0.0.1 and localhost that every member of both kinds
/// serves, and a client certificate the benchmark presents (the servers run with --client-cert-auth). PEM files
/// under the data root; ECDSA P-256, valid for a day.
/// </summary>
public sealed record BenchCertificates(string CaFile, string ServerCertFile, string ServerKeyFile, string ClientCertFile, string ClientKeyFile)
{
    public static BenchCertificates Create(string directory)
    {
        Directory.CreateDirectory(directory);
        string Path(string name) => System.IO.Path.Combine(directory, name);
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = DateTimeOffset.UtcNow.AddDays(1);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=coordinator-bench CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);
        File.WriteAllText(Path("ca.pem"), ca.ExportCertificatePem());

        void Issue(string name, string commonName, bool server)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                [server ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
            if (server)
            {
                var names = new SubjectAlternativeNameBuilder();
                names.AddIpAddress(IPAddress.Loopback);
                names.AddDnsName("localhost");
                request.CertificateExtensions.Add(names.Build());
            }
            using var certificate = request.Create(ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
            File.WriteAllText(Path(name + ".pem"), certificate.ExportCertificatePem());
            File.WriteAllText(Path(name + "-key.pem"), key.ExportPkcs8PrivateKeyPem());
        }
        Issue("server", "coordinator-bench server", server: true);
        Issue("client", "coordinator-bench client", server: false);
        return new BenchCertificates(Path("ca.pem"), Path("server.pem"), Path("server-key.pem"), Path("client.pem"), Path("client-key.pem"));
    }

    /// <summary>What every member of either kind gets (etcd's flags).</summary>
    public IReadOnlyList<string> ServerFlags =>
        ["--cert-file", ServerCertFile, "--key-file", ServerKeyFile, "--trusted-ca-file", CaFile, "--client-cert-auth"];

    public Etcd.ClientSecurity Client => new(CaFile, ClientCertFile, ClientKeyFile);
}
