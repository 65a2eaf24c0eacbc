namespace Coordinator.Silo.Configuration;

/// <summary>The flags of TLS for clients and peers, with etcd 3.4's names, meanings and help texts.</summary>
internal static class TlsFlags
{
    public static readonly FlagSpec[] All =
    [
        new("cert-file", "", "Path to the client server TLS cert file."),
        new("key-file", "", "Path to the client server TLS key file."),
        new("client-cert-auth", "false", "Enable client cert authentication.", IsBoolean: true),
        new("client-crl-file", "", "Path to the client certificate revocation list file."),
        new("client-cert-allowed-hostname", "", "Allowed TLS hostname for client cert authentication."),
        new("trusted-ca-file", "", "Path to the client server TLS trusted CA cert file."),
        new("auto-tls", "false", "Client TLS using generated certificates", IsBoolean: true),
        new("peer-cert-file", "", "Path to the peer server TLS cert file."),
        new("peer-key-file", "", "Path to the peer server TLS key file."),
        new("peer-client-cert-auth", "false", "Enable peer client cert authentication.", IsBoolean: true),
        new("peer-trusted-ca-file", "", "Path to the peer server TLS trusted CA file."),
        new("peer-auto-tls", "false", "Peer TLS using generated certificates", IsBoolean: true),
        new("peer-crl-file", "", "Path to the peer certificate revocation list file."),
        new("peer-cert-allowed-cn", "", "Allowed CN for inter peer authentication."),
        new("peer-cert-allowed-hostname", "", "Allowed TLS hostname for inter peer authentication."),
        new("cipher-suites", "", "Comma-separated list of supported TLS cipher suites between client/server and peers (empty will be auto-populated by Go)."),
        new("experimental-peer-skip-client-san-verification", "false", "Skip verification of SAN field in client certificate for peer connections.", IsBoolean: true),
    ];
}
