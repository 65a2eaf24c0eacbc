namespace Coordinator.Gateway.Auth;

/// <summary>How this member issues and checks tokens (etcd's --auth-token, --auth-token-ttl, --bcrypt-cost,
/// --client-cert-auth).</summary>
public sealed record AuthOptions
{
    /// <summary>"simple" (random tokens known to every member through the log) or "jwt".</summary>
    public string TokenKind { get; init; } = "simple";

    /// <summary>Lifetime of a simple token, renewed on every use (etcd: 300 s). JWTs carry their own ttl.</summary>
    public TimeSpan TokenTtl { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>bcrypt work factor for new passwords (etcd's default 10; 4..31).</summary>
    public int BcryptCost { get; init; } = 10;

    /// <summary>At most this many bcrypt computations run at once; the rest wait (a login storm cannot take
    /// every core from the members' other work).</summary>
    public int MaxConcurrentHashes { get; init; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>--client-cert-auth: a verified client certificate's common name is the user when no token is sent.</summary>
    public bool ClientCertAuth { get; init; }

    /// <summary>For "jwt": the signing settings.</summary>
    public JwtOptions? Jwt { get; init; }
}

/// <summary>etcd's --auth-token jwt,pub-key=...,priv-key=...,sign-method=...,ttl=...</summary>
public sealed record JwtOptions(string SignMethod, string? PublicKeyPath, string? PrivateKeyPath, TimeSpan Ttl);
