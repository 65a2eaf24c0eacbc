using System.Net.Security;

namespace Coordinator.Silo.Configuration;

/// <summary>The validated settings of TLS for clients and peers (etcd's --cert-file, --peer-cert-file, ...).
/// TLS is used on a listener or a dial only when its URL is https://; the files are read when TLS starts and
/// again whenever they change (see Silo/Tls).</summary>
public sealed record TlsConfig
{
    public static readonly TlsConfig Default = new();

    /// <summary>The client listeners' side (--cert-file, --trusted-ca-file, --client-cert-auth, --auto-tls, ...).</summary>
    public Side Client { get; init; } = new();

    /// <summary>The peer listeners' and the peer dialer's side (--peer-cert-file, --peer-auto-tls, ...).</summary>
    public Side Peer { get; init; } = new();

    /// <summary>--cipher-suites mapped from Go's names; empty: the platform's defaults. TLS 1.3 suites are always
    /// allowed (Go ignores the list for TLS 1.3).</summary>
    public IReadOnlyList<TlsCipherSuite> CipherSuites { get; init; } = [];

    /// <summary>One side's TLS settings, as etcd's transport.TLSInfo.</summary>
    public sealed record Side
    {
        public string CertFile { get; init; } = "";
        public string KeyFile { get; init; } = "";
        public string TrustedCaFile { get; init; } = "";
        /// <summary>--client-cert-auth / --peer-client-cert-auth. Client certificates are also required whenever
        /// a trusted CA file is given (etcd 3.4's ServerConfig does the same).</summary>
        public bool ClientCertAuth { get; init; }
        public string CrlFile { get; init; } = "";
        /// <summary>Only with AllowedHostname empty: a client certificate must have exactly this common name.</summary>
        public string AllowedCn { get; init; } = "";
        /// <summary>A client certificate must be valid for this host name or IP (its SANs).</summary>
        public string AllowedHostname { get; init; } = "";
        /// <summary>--auto-tls / --peer-auto-tls: self-signed files under the data dir when no files are given.</summary>
        public bool AutoTls { get; init; }
        /// <summary>Peers only: do not require a client certificate's SANs to match the connecting address.</summary>
        public bool SkipClientSanVerify { get; init; }

        /// <summary>As etcd's TLSInfo.Empty: no certificate and key given.</summary>
        public bool Empty => CertFile.Length == 0 && KeyFile.Length == 0;

        public bool RequiresClientCertificate => ClientCertAuth || TrustedCaFile.Length > 0;
    }
}
