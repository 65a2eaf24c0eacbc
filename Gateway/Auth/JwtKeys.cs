using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Coordinator.Gateway.Auth;

/// <summary>
/// The keys of etcd's JWT tokens (auth/options.go): HS* signs and verifies with the bytes of priv-key; RS*, PS* and
/// ES* sign with the PEM private key and verify with its public half, or only verify with the PEM pub-key when no
/// private key is given. Loaded once at startup, so a bad key stops the member instead of failing every login.
/// </summary>
public sealed class JwtKeys
{
    /// <summary>Microsoft.IdentityModel refuses to sign with smaller keys (etcd would accept them).</summary>
    public const int MinRsaBits = 2048;

    /// <summary>Microsoft.IdentityModel refuses HMAC keys shorter than the hash (HS256: 32 bytes; etcd accepts any
    /// length).</summary>
    public static int MinHmacBytes(int bits) => bits / 8;

    private JwtKeys(SecurityKey verify, SecurityKey? sign) => (Verify, Sign) = (verify, sign);

    public SecurityKey Verify { get; }

    /// <summary>Null on a verify-only member (pub-key without priv-key).</summary>
    public SecurityKey? Sign { get; }

    /// <summary>Throws <see cref="ArgumentException"/> with etcd's text where etcd has one ("auth: missing key
    /// data", "auth: public and private keys don't match", "auth: invalid auth signature method").</summary>
    public static JwtKeys Load(JwtOptions options)
    {
        var method = options.SignMethod;
        var family = method.Length == 5 ? method[..2] : "";
        var bits = method.Length == 5 && int.TryParse(method.AsSpan(2), out var b) ? b : 0;
        if (bits is not (256 or 384 or 512) || family is not ("HS" or "RS" or "PS" or "ES"))
            throw new ArgumentException("auth: invalid auth signature method " + method);
        var privatePem = Read(options.PrivateKeyPath);
        var publicPem = Read(options.PublicKeyPath);
        return family switch
        {
            "HS" => Hmac(options, bits, privatePem),
            "ES" => Ecdsa(options, bits, privatePem, publicPem),
            _ => Rsa(options, privatePem, publicPem),
        };
    }

    private static byte[]? Read(string? path)
    {
        if (path is null) return null;
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"auth: invalid auth options: open {path}: {e.Message}");
        }
    }

    private static JwtKeys Hmac(JwtOptions options, int bits, byte[]? secret)
    {
        if (secret is null || secret.Length == 0) throw new ArgumentException("auth: missing key data");
        if (secret.Length < MinHmacBytes(bits))
            throw new ArgumentException($"auth: {options.SignMethod} key {options.PrivateKeyPath} has {secret.Length} bytes; at least {MinHmacBytes(bits)} are needed");
        var key = new SymmetricSecurityKey(secret);
        return new JwtKeys(key, key);
    }

    private static JwtKeys Rsa(JwtOptions options, byte[]? privatePem, byte[]? publicPem)
    {
        if (privatePem is null && publicPem is null) throw new ArgumentException("auth: missing key data");
        var priv = privatePem is null ? null : ImportRsa(options.PrivateKeyPath!, privatePem, isPrivate: true);
        var pub = publicPem is null ? null : ImportRsa(options.PublicKeyPath!, publicPem, isPrivate: false);
        if (priv is not null && pub is not null && !SameRsa(priv, pub)) throw new ArgumentException("auth: public and private keys don't match");
        var owner = priv ?? pub!;
        if (owner.KeySize < MinRsaBits)
            throw new ArgumentException($"auth: {options.SignMethod} needs an RSA key of at least {MinRsaBits} bits; the key has {owner.KeySize}");
        if (priv is null) return new JwtKeys(new RsaSecurityKey(pub!), null);
        var verify = RSA.Create();
        verify.ImportParameters(priv.ExportParameters(includePrivateParameters: false));
        return new JwtKeys(new RsaSecurityKey(verify), new RsaSecurityKey(priv));
    }

    private static RSA ImportRsa(string path, byte[] pem, bool isPrivate)
    {
        var rsa = RSA.Create();
        try { rsa.ImportFromPem(System.Text.Encoding.ASCII.GetString(pem)); }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new ArgumentException($"auth: {path} is not a PEM encoded RSA {(isPrivate ? "private" : "public")} key");
        }
        if (isPrivate && !HasPrivatePart(rsa)) throw new ArgumentException($"auth: {path} is not a PEM encoded RSA private key");
        return rsa;
    }

    private static bool HasPrivatePart(AsymmetricAlgorithm key)
    {
        try
        {
            _ = key is RSA rsa ? rsa.ExportParameters(true).D : ((ECDsa)key).ExportParameters(true).D;
            return true;
        }
        catch (CryptographicException) { return false; }
    }

    private static bool SameRsa(RSA a, RSA b)
    {
        var x = a.ExportParameters(false);
        var y = b.ExportParameters(false);
        return x.Modulus.AsSpan().SequenceEqual(y.Modulus) && x.Exponent.AsSpan().SequenceEqual(y.Exponent);
    }

    private static JwtKeys Ecdsa(JwtOptions options, int bits, byte[]? privatePem, byte[]? publicPem)
    {
        if (privatePem is null && publicPem is null) throw new ArgumentException("auth: missing key data");
        var priv = privatePem is null ? null : ImportEc(options.PrivateKeyPath!, privatePem, isPrivate: true);
        var pub = publicPem is null ? null : ImportEc(options.PublicKeyPath!, publicPem, isPrivate: false);
        if (priv is not null && pub is not null && !SameEc(priv, pub)) throw new ArgumentException("auth: public and private keys don't match");
        var owner = priv ?? pub!;
        // ES512 signs with P-521: the curve's size in bits, rounded to the method's.
        var curveBits = owner.KeySize == 521 ? 512 : owner.KeySize;
        if (curveBits != bits)
            throw new ArgumentException($"auth: {options.SignMethod} needs a P-{(bits == 512 ? 521 : bits)} key; the key is P-{owner.KeySize}");
        if (priv is null) return new JwtKeys(new ECDsaSecurityKey(pub!), null);
        var verify = ECDsa.Create(priv.ExportParameters(includePrivateParameters: false));
        return new JwtKeys(new ECDsaSecurityKey(verify), new ECDsaSecurityKey(priv));
    }

    private static ECDsa ImportEc(string path, byte[] pem, bool isPrivate)
    {
        var ec = ECDsa.Create();
        try { ec.ImportFromPem(System.Text.Encoding.ASCII.GetString(pem)); }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new ArgumentException($"auth: {path} is not a PEM encoded ECDSA {(isPrivate ? "private" : "public")} key");
        }
        if (isPrivate && !HasPrivatePart(ec)) throw new ArgumentException($"auth: {path} is not a PEM encoded ECDSA private key");
        return ec;
    }

    private static bool SameEc(ECDsa a, ECDsa b)
    {
        var x = a.ExportParameters(false).Q;
        var y = b.ExportParameters(false).Q;
        return x.X.AsSpan().SequenceEqual(y.X) && x.Y.AsSpan().SequenceEqual(y.Y);
    }
}
