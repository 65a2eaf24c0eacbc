using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Coordinator.Tests.Integration.Tls;

/// <summary>HttpClients for the tests' own HTTPS requests: trust one CA (or anything), offer a client certificate.</summary>
internal static class TlsHttp
{
    public static HttpClient Create(string? caFile, TestCertificates.Pair? clientCertificate = null, bool trustAnything = false,
        Version? version = null)
    {
        var handler = new SocketsHttpHandler { UseProxy = false };
        var ca = caFile is null ? null : X509Certificate2.CreateFromPem(File.ReadAllText(caFile));
        var client = clientCertificate is null ? null : X509Certificate2.CreateFromPemFile(clientCertificate.CertFile, clientCertificate.KeyFile);
        handler.SslOptions = new SslClientAuthenticationOptions
        {
            LocalCertificateSelectionCallback = client is null ? null : (_, _, _, _, _) => client,
            RemoteCertificateValidationCallback = (_, presented, _, errors) =>
            {
                if (trustAnything) return true;
                if (presented is null || ca is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(presented));
            },
        };
        var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        if (version is not null)
        {
            http.DefaultRequestVersion = version;
            http.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }
        return http;
    }
}
