namespace Coordinator.Silo.Configuration;

/// <summary>The validated settings of authentication (etcd's --auth-token, ...).</summary>
public sealed record AuthConfig
{
    public static readonly AuthConfig Default = new();
}
