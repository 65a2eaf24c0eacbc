namespace Coordinator.Silo.Configuration;

/// <summary>The validated settings of authentication (etcd's --auth-token, --auth-token-ttl, --bcrypt-cost).</summary>
public sealed record AuthConfig
{
    public static readonly AuthConfig Default = new();

    /// <summary>"simple" or "jwt".</summary>
    public string TokenKind { get; init; } = "simple";

    public TimeSpan TokenTtl { get; init; } = TimeSpan.FromSeconds(300);

    public int BcryptCost { get; init; } = 10;

    /// <summary>For jwt: sign-method (RS256, ES256, HS256, ...), pub-key and priv-key paths (either may be absent;
    /// checked at parse), ttl (default 5m).</summary>
    public string? JwtSignMethod { get; init; }
    public string? JwtPublicKey { get; init; }
    public string? JwtPrivateKey { get; init; }
    public TimeSpan JwtTtl { get; init; } = TimeSpan.FromMinutes(5);
}
