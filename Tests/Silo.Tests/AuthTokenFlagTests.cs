using System.Security.Cryptography;
using Coordinator.Silo.Configuration;
using Xunit;

namespace Coordinator.Tests.Silo;

/// <summary>--auth-token: "simple", or "jwt" with etcd's options; the keys are read at parse, so a member whose keys
/// are missing, unreadable or mismatched does not start (etcd: "auth: invalid auth options", "auth: missing key
/// data", ...).</summary>
public sealed class AuthTokenFlagTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("coordinator-auth-flags-").FullName;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static AuthConfig Parse(string value) => ConfigParser.Parse(["--auth-token", value], _ => null).Config!.Auth;

    private static string Error(string value) =>
        Assert.Throws<ConfigurationException>(() => ConfigParser.Parse(["--auth-token", value], _ => null)).Message;

    [Fact]
    public void Simple_is_the_default()
    {
        Assert.Equal("simple", ConfigParser.Parse([], _ => null).Config!.Auth.TokenKind);
        Assert.Equal("simple", Parse("simple").TokenKind);
    }

    [Fact]
    public void Jwt_takes_its_keys_method_and_ttl()
    {
        using var rsa = RSA.Create(2048);
        var priv = Write("k.pem", rsa.ExportPkcs8PrivateKeyPem());
        var pub = Write("k.pub", rsa.ExportSubjectPublicKeyInfoPem());
        var c = Parse($"jwt,pub-key={pub},priv-key={priv},sign-method=RS256,ttl=90s");
        Assert.Equal(("jwt", "RS256", pub, priv, TimeSpan.FromSeconds(90)), (c.TokenKind, c.JwtSignMethod, c.JwtPublicKey, c.JwtPrivateKey, c.JwtTtl));
        Assert.Equal(TimeSpan.FromMinutes(5), Parse($"jwt,priv-key={priv},sign-method=PS256").JwtTtl);
        // An empty path is no key; the public key alone makes a verify-only member.
        var verifyOnly = Parse($"jwt,pub-key={pub},priv-key=,sign-method=RS256");
        Assert.Null(verifyOnly.JwtPrivateKey);
        Assert.Equal(pub, verifyOnly.JwtPublicKey);
    }

    [Fact]
    public void Bad_jwt_options_stop_the_member_with_a_clear_reason()
    {
        using var rsa = RSA.Create(2048);
        using var other = RSA.Create(2048);
        var priv = Write("k.pem", rsa.ExportPkcs8PrivateKeyPem());
        var otherPub = Write("other.pub", other.ExportSubjectPublicKeyInfoPem());
        var garbage = Write("garbage.pem", "garbage");

        Assert.StartsWith("--auth-token: auth: invalid auth signature method (", Error($"jwt,priv-key={priv}"));
        Assert.StartsWith("--auth-token: auth: invalid auth signature method 'XX256' (", Error($"jwt,priv-key={priv},sign-method=XX256"));
        Assert.Equal("--auth-token: auth: missing key data", Error("jwt,sign-method=RS256"));
        Assert.Equal("--auth-token: auth: missing key data", Error($"jwt,pub-key={otherPub},sign-method=HS256"));
        Assert.Equal("--auth-token: auth: public and private keys don't match", Error($"jwt,pub-key={otherPub},priv-key={priv},sign-method=RS256"));
        Assert.Equal($"--auth-token: auth: {garbage} is not a PEM encoded RSA public key", Error($"jwt,pub-key={garbage},sign-method=RS256"));
        Assert.Equal($"--auth-token: auth: {priv} is not a PEM encoded ECDSA private key", Error($"jwt,priv-key={priv},sign-method=ES256"));
        Assert.StartsWith($"--auth-token: auth: invalid auth options: open {_dir}/none.pem: ", Error($"jwt,priv-key={_dir}/none.pem,sign-method=RS256"));
        Assert.Equal("--auth-token ttl: invalid duration 'xx'", Error($"jwt,priv-key={priv},sign-method=RS256,ttl=xx"));
        Assert.Equal("--auth-token: invalid auth options 'ttl' (expected key=value, each key once)", Error($"jwt,priv-key={priv},sign-method=RS256,ttl"));
        Assert.Equal("--auth-token: unknown token type 'foo' (simple or jwt)", Error("foo"));
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch { }
    }
}
