namespace Coordinator.Silo.Configuration;

public static partial class ConfigParser
{
    /// <summary>Validates the flags of authentication (etcd's --auth-token, ...).</summary>
    private static AuthConfig BuildAuth(Func<string, string> get, Func<string, string?> explicitValue) => AuthConfig.Default;
}
