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
        var keys = JwtKeys.Load(options);
        _signing = keys.Sign is null ? null : new SigningCredentials(keys.Sign, options.SignMethod);
        _validation = new TokenValidationParameters
        {
            IssuerSigningKey = keys.Verify,
            ValidAlgorithms = [options.SignMethod],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.Zero,
            LifetimeValidator = (_, expires, _, _) => expires is { } e && e > _clock.GetUtcNow().UtcDateTime,
        };
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
