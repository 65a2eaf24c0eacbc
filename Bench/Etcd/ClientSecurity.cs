using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Coordinator.Bench.Etcd;

/// <summary>
/// How the benchmark's connections reach a secured server, with etcdctl's option names: --cacert (trust this CA,
/// and use https), --cert/--key (a client certificate, for --client-cert-auth), --user name:password (log in once
/// per connection and send the token on every call). Either server kind takes the same settings.
/// </summary>
public sealed record ClientSecurity(string? CaFile = null, string? CertFile = null, string? KeyFile = null, string? User = null, string? Password = null)
{
    public static readonly ClientSecurity None = new();

    public bool Tls => CaFile is not null || CertFile is not null;

    /// <summary>Parses "name:password" (etcdctl's --user; the password may contain ':').</summary>
    public static (string User, string Password) SplitUser(string value)
    {
        var colon = value.IndexOf(':');
        if (colon <= 0) throw new ArgumentException($"--user '{value}': expected name:password");
        return (value[..colon], value[(colon + 1)..]);
    }

    /// <summary>The URL a channel dials: the endpoint's own scheme, else https under TLS and http without.</summary>
    public string Address(string endpoint) => endpoint.Contains("://") ? endpoint : (Tls ? "https://" : "http://") + endpoint;

    /// <summary>Server certificates are checked against --cacert alone (hostname included); the client presents --cert.</summary>
    public void Apply(SocketsHttpHandler handler)
    {
        if (!Tls) return;
        var options = new SslClientAuthenticationOptions();
        if (CertFile is not null)
        {
            if (KeyFile is null) throw new ArgumentException("--cert needs --key");
            // Exported and re-imported: an ephemeral PEM key cannot be used for TLS client auth on Linux as is.
            using var pem = X509Certificate2.CreateFromPemFile(CertFile, KeyFile);
            options.ClientCertificates = [X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)];
        }
        if (CaFile is not null)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(CaFile);
            options.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            options.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }
        handler.SslOptions = options;
    }
}
