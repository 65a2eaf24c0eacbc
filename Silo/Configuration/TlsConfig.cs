namespace Coordinator.Silo.Configuration;

/// <summary>The validated settings of TLS for clients and peers (etcd's --cert-file, --peer-cert-file, ...).</summary>
public sealed record TlsConfig
{
    public static readonly TlsConfig Default = new();
}
