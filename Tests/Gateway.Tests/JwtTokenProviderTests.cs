using System.Security.Cryptography;
using System.Text;
using Coordinator.Gateway.Auth;
using Coordinator.Grains.Store;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Coordinator.Tests.Gateway;

/// <summary>
/// etcd's JWT tokens (auth/jwt.go): claims username, revision, exp; a token that is forged, expired, of another
/// algorithm or unreadable names nobody (the gate answers "etcdserver: invalid auth token"); a member with only the
/// public key verifies and refuses to sign with etcd's text; bad keys are refused when loaded with etcd's texts.
/// </summary>
public sealed class JwtTokenProviderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("coordinator-jwt-").FullName;
    private readonly ManualClock _clock = new();

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;
        public override DateTimeOffset GetUtcNow() => _now;
        public void Advance(TimeSpan by) => _now += by;
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private (string Private, string Public) RsaFiles(string name, int bits = 2048)
    {
        using var rsa = RSA.Create(bits);
        return (Write(name + ".pem", rsa.ExportPkcs8PrivateKeyPem()), Write(name + ".pub", rsa.ExportSubjectPublicKeyInfoPem()));
    }

    private (string Private, string Public) EcFiles(string name, ECCurve curve)
    {
        using var ec = ECDsa.Create(curve);
        return (Write(name + ".pem", ec.ExportECPrivateKeyPem()), Write(name + ".pub", ec.ExportSubjectPublicKeyInfoPem()));
    }

    private JwtTokenProvider Provider(string method, string? pub, string? priv, TimeSpan? ttl = null) =>
        new(new FakeCoordinatorNode(), new JwtOptions(method, pub, priv, ttl ?? TimeSpan.FromMinutes(5)), _clock);

    private static string Payload(string token) =>
        Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.Split('.')[1]));

    [Theory]
    [InlineData("RS256")]
    [InlineData("PS384")]
    [InlineData("ES256")]
    [InlineData("ES384")]
    [InlineData("ES512")]
    [InlineData("HS256")]
    [InlineData("HS512")]
    public async Task A_token_names_its_user_and_revision_and_expires_after_the_ttl(string method)
    {
        var (priv, pub) = method switch
        {
            "ES256" => EcFiles("k", ECCurve.NamedCurves.nistP256),
            "ES384" => EcFiles("k", ECCurve.NamedCurves.nistP384),
            "ES512" => EcFiles("k", ECCurve.NamedCurves.nistP521),
            "HS256" or "HS512" => (Write("k.secret", new string('s', 64)), null!),
            _ => RsaFiles("k"),
        };
        var provider = Provider(method, pub, priv, TimeSpan.FromSeconds(10));
        var token = provider.Issue("alice", 7, appliedToken: "ignored.1");

        Assert.Equal(3, token.Split('.').Length);
        Assert.Equal(method, new JsonWebToken(token).Alg);
        var payload = Payload(token);
        Assert.Contains("\"username\":\"alice\"", payload);
        Assert.Contains("\"revision\":7", payload);
        Assert.Contains($"\"exp\":{_clock.GetUtcNow().AddSeconds(10).ToUnixTimeSeconds()}", payload);
        Assert.Equal(new TokenInfo("alice", 7), await provider.ResolveAsync(token, default));

        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.NotNull(await provider.ResolveAsync(token, default));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await provider.ResolveAsync(token, default));
    }

    [Fact]
    public async Task Forged_foreign_unsigned_and_unreadable_tokens_name_nobody()
    {
        var (priv, pub) = RsaFiles("k");
        var (otherPriv, _) = RsaFiles("other");
        var provider = Provider("RS256", pub, priv);
        var genuine = provider.Issue("alice", 3, "x.1");

        var parts = genuine.Split('.');
        var asRoot = Base64UrlEncoder.Encode(Payload(genuine).Replace("\"alice\"", "\"root\"", StringComparison.Ordinal));
        Assert.Null(await provider.ResolveAsync($"{parts[0]}.{asRoot}.{parts[2]}", default));
        // The same claims signed by another key of the same method.
        Assert.Null(await provider.ResolveAsync(Provider("RS256", null, otherPriv).Issue("alice", 3, "x.1"), default));
        // alg "none".
        var none = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["username"] = "root", ["revision"] = 3L },
            Expires = _clock.GetUtcNow().UtcDateTime.AddMinutes(1),
        });
        Assert.Null(await provider.ResolveAsync(none, default));
        // HS256 keyed with the public key's PEM (the RS/HS confusion): refused, only RS256 is accepted.
        var confused = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["username"] = "root", ["revision"] = 3L },
            Expires = _clock.GetUtcNow().UtcDateTime.AddMinutes(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(File.ReadAllBytes(pub)), "HS256"),
        });
        Assert.Null(await provider.ResolveAsync(confused, default));
        foreach (var garbage in new[] { "", "garbage", "a.b.c", "x.1", genuine + "x", genuine[..^4] })
            Assert.Null(await provider.ResolveAsync(garbage, default));
    }

    [Fact]
    public async Task A_token_without_username_revision_or_exp_names_nobody()
    {
        var (priv, pub) = RsaFiles("k");
        var provider = Provider("RS256", pub, priv);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(priv));
        var signing = new SigningCredentials(new RsaSecurityKey(rsa), "RS256");
        string Make(Dictionary<string, object> claims, bool exp = true) =>
            new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
            {
                Claims = claims, Expires = exp ? _clock.GetUtcNow().UtcDateTime.AddMinutes(1) : null, SigningCredentials = signing,
            });

        Assert.Equal(new TokenInfo("bob", 5), await provider.ResolveAsync(Make(new() { ["username"] = "bob", ["revision"] = 5L }), default));
        Assert.Null(await provider.ResolveAsync(Make(new() { ["revision"] = 5L }), default));
        Assert.Null(await provider.ResolveAsync(Make(new() { ["username"] = "bob" }), default));
        Assert.Null(await provider.ResolveAsync(Make(new() { ["username"] = 12, ["revision"] = 5L }), default));
        Assert.Null(await provider.ResolveAsync(Make(new() { ["username"] = "bob", ["revision"] = "five" }), default));
        Assert.Null(await provider.ResolveAsync(Make(new() { ["username"] = "bob", ["revision"] = -1L }), default));
        // etcd (go-jwt) accepts a token without exp forever; here every token must expire.
        Assert.Null(await provider.ResolveAsync(Make(new() { ["username"] = "bob", ["revision"] = 5L }, exp: false), default));
    }

    [Fact]
    public async Task A_member_with_only_the_public_key_verifies_but_cannot_sign()
    {
        var (priv, pub) = RsaFiles("k");
        var token = Provider("RS256", pub, priv).Issue("alice", 2, "x.1");
        var verifier = Provider("RS256", pub, null);
        Assert.Equal(new TokenInfo("alice", 2), await verifier.ResolveAsync(token, default));
        var refused = Assert.Throws<StoreException>(() => verifier.Issue("alice", 2, "x.1"));
        Assert.Equal(global::Grpc.Core.StatusCode.Unknown, refused.Code);
        Assert.Equal("auth: token signing attempted with verify-only key", refused.Message);
    }

    [Fact]
    public void Without_a_pub_key_the_private_key_verifies_its_own_tokens()
    {
        var (priv, _) = EcFiles("k", ECCurve.NamedCurves.nistP256);
        var keys = JwtKeys.Load(new JwtOptions("ES256", null, priv, TimeSpan.FromMinutes(1)));
        Assert.NotNull(keys.Sign);
        Assert.IsType<ECDsaSecurityKey>(keys.Verify);
    }

    private string LoadError(string method, string? pub, string? priv) =>
        Assert.Throws<ArgumentException>(() => JwtKeys.Load(new JwtOptions(method, pub, priv, TimeSpan.FromMinutes(1)))).Message;

    [Fact]
    public void Bad_keys_are_refused_with_etcds_texts_where_it_has_them()
    {
        var (rsaPriv, rsaPub) = RsaFiles("rsa");
        var (_, otherPub) = RsaFiles("other");
        var (ecPriv, ecPub) = EcFiles("ec", ECCurve.NamedCurves.nistP256);
        var (_, ecOtherPub) = EcFiles("ec-other", ECCurve.NamedCurves.nistP256);
        var (p384, _) = EcFiles("p384", ECCurve.NamedCurves.nistP384);
        var (small, _) = RsaFiles("small", 1024);
        var garbage = Write("garbage.pem", "not a key\n");

        Assert.Equal("auth: invalid auth signature method XX256", LoadError("XX256", rsaPub, rsaPriv));
        Assert.Equal("auth: invalid auth signature method none", LoadError("none", rsaPub, rsaPriv));
        Assert.Equal("auth: missing key data", LoadError("RS256", null, null));
        Assert.Equal("auth: missing key data", LoadError("ES256", null, null));
        // HS* signs with priv-key; a pub-key alone is no key (etcd's hmacKey).
        Assert.Equal("auth: missing key data", LoadError("HS256", rsaPub, null));
        Assert.Equal("auth: public and private keys don't match", LoadError("RS256", otherPub, rsaPriv));
        Assert.Equal("auth: public and private keys don't match", LoadError("ES256", ecOtherPub, ecPriv));
        Assert.Equal($"auth: {garbage} is not a PEM encoded RSA public key", LoadError("RS256", garbage, null));
        Assert.Equal($"auth: {garbage} is not a PEM encoded RSA private key", LoadError("RS256", null, garbage));
        Assert.Equal($"auth: {rsaPub} is not a PEM encoded RSA private key", LoadError("RS256", null, rsaPub));
        Assert.Equal($"auth: {rsaPriv} is not a PEM encoded ECDSA private key", LoadError("ES256", null, rsaPriv));
        Assert.Equal($"auth: {ecPub} is not a PEM encoded RSA public key", LoadError("PS256", ecPub, null));
        Assert.Equal("auth: ES256 needs a P-256 key; the key is P-384", LoadError("ES256", null, p384));
        Assert.Equal("auth: ES512 needs a P-521 key; the key is P-256", LoadError("ES512", ecPub, null));
        Assert.Equal("auth: RS256 needs an RSA key of at least 2048 bits; the key has 1024", LoadError("RS256", null, small));
        var shortSecret = Write("short.secret", new string('s', 31));
        Assert.Equal($"auth: HS256 key {shortSecret} has 31 bytes; at least 32 are needed", LoadError("HS256", null, shortSecret));
        var secret32 = Write("32.secret", new string('s', 32));
        Assert.Equal($"auth: HS512 key {secret32} has 32 bytes; at least 64 are needed", LoadError("HS512", null, secret32));
        var missing = Path.Combine(_dir, "missing.pem");
        Assert.StartsWith($"auth: invalid auth options: open {missing}: ", LoadError("RS256", null, missing));
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("HS384")]
    [InlineData("HS512")]
    public void The_shortest_accepted_hmac_secret_signs(string method)
    {
        var secret = Write("min.secret", new string('s', JwtKeys.MinHmacBytes(int.Parse(method[2..], System.Globalization.CultureInfo.InvariantCulture))));
        var token = Provider(method, null, secret).Issue("alice", 1, "x.1");
        Assert.Equal(3, token.Split('.').Length);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch { }
    }
}
