namespace Coordinator.Silo.Configuration;

/// <summary>The flags of TLS for clients and peers (etcd's --cert-file, --peer-cert-file, ...).</summary>
internal static class TlsFlags
{
    public static readonly FlagSpec[] All = [];
}
