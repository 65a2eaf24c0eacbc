namespace Coordinator.Silo.Configuration;

/// <summary>The flags of authentication, with etcd 3.4's names and defaults.</summary>
internal static class AuthFlags
{
    public static readonly FlagSpec[] All =
    [
        new("auth-token", "simple",
            "Specify auth token specific options: 'simple' or 'jwt,pub-key=PATH,priv-key=PATH,sign-method=RS256,ttl=5m'."),
        new("auth-token-ttl", "300", "The lifetime in seconds of a simple auth token (renewed on every use)."),
        new("bcrypt-cost", "10", "Specify bcrypt algorithm cost factor for auth password hashing (4..31)."),
    ];
}
