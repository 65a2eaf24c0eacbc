namespace Coordinator.Silo.Configuration;

/// <summary>The flags of authentication (etcd's --auth-token, ...).</summary>
internal static class AuthFlags
{
    public static readonly FlagSpec[] All = [];
}
