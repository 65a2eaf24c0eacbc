using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Coordinator.Gateway.Auth;

/// <summary>
/// etcd's JWT tokens (Microsoft.IdentityModel.JsonWebTokens): claims <c>username</c> and <c>revision</c> (the auth
/// revision the login was checked against) and <c>exp</c>. Any member holding the public key verifies them; a
/// member with only the public key verifies but cannot issue. RS*/PS* and ES* take PEM keys, HS* the key file's
/// bytes. The revision in the token makes it "old" after any auth change, as in etcd.
/// </summary>
public sealed class JwtTokenProvider : ITokenProvider
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials? _signing;
    private readonly TokenValidationParameters _validation;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _clock;

    public JwtTokenProvider(ICoordinatorNode node, JwtOptions options, TimeProvider? clock = null)
    {
        _ = node;
        _ttl = options.Ttl;
        _clock = clock ?? TimeProvider.System;
        var (verify, sign) = LoadKeys(options);
        _signing = sign is null ? null : new SigningCredentials(sign, options.SignMethod);
        _validation = new TokenValidationParameters
        {
            IssuerSigningKey = verify,
            ValidAlgorithms = [options.SignMethod],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.Zero,
            LifetimeValidator = (_, expires, _, _) => expires is { } e && e > _clock.GetUtcNow().UtcDateTime,
        };
    }

    /// <summary>Reads the keys; throws <see cref="ArgumentException"/> with a clear reason.</summary>
    private static (SecurityKey Verify, SecurityKey? Sign) LoadKeys(JwtOptions options)
    {
        var method = options.SignMethod;
        if (method.StartsWith("HS", StringComparison.Ordinal))
        {
            var path = options.PrivateKeyPath ?? options.PublicKeyPath;
            var key = new SymmetricSecurityKey(File.ReadAllBytes(path));
            return (key, key);
        }
        if (method.StartsWith("RS", StringComparison.Ordinal) || method.StartsWith("PS", StringComparison.Ordinal))
        {
            var pub = RSA.Create();
            pub.ImportFromPem(File.ReadAllText(options.PublicKeyPath));
            RsaSecurityKey? priv = null;
            if (options.PrivateKeyPath is { } p)
            {
                var rsa = RSA.Create();
                rsa.ImportFromPem(File.ReadAllText(p));
                priv = new RsaSecurityKey(rsa);
            }
            return (new RsaSecurityKey(pub), priv);
        }
        if (method.StartsWith("ES", StringComparison.Ordinal))
        {
            var pub = ECDsa.Create();
            pub.ImportFromPem(File.ReadAllText(options.PublicKeyPath));
            ECDsaSecurityKey? priv = null;
            if (options.PrivateKeyPath is { } p)
            {
                var ec = ECDsa.Create();
                ec.ImportFromPem(File.ReadAllText(p));
                priv = new ECDsaSecurityKey(ec);
            }
            return (new ECDsaSecurityKey(pub), priv);
        }
        throw new ArgumentException($"auth: invalid auth signature method {method}");
    }

    public async ValueTask<TokenInfo?> ResolveAsync(string token, CancellationToken cancellationToken)
    {
        if (!_handler.CanReadToken(token)) return null;
        var result = await _handler.ValidateTokenAsync(token, _validation);
        if (!result.IsValid) return null;
        if (!result.Claims.TryGetValue("username", out var user) || user is not string name) return null;
        if (!result.Claims.TryGetValue("revision", out var rev)) return null;
        try { return new TokenInfo(name, Convert.ToUInt64(rev, System.Globalization.CultureInfo.InvariantCulture)); }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException) { return null; }
    }

    public string Issue(string user, ulong revision, string appliedToken)
    {
        if (_signing is null) throw new Grains.Store.StoreException(global::Grpc.Core.StatusCode.Unknown, "auth: token signing attempted with verify-only key");
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["username"] = user, ["revision"] = (long)revision },
            Expires = _clock.GetUtcNow().UtcDateTime + _ttl,
            SigningCredentials = _signing,
        });
    }
}
