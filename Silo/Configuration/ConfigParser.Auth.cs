namespace Coordinator.Silo.Configuration;

public static partial class ConfigParser
{
    private static readonly string[] JwtMethods =
        ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512"];

    /// <summary>Validates the flags of authentication. --auth-token is etcd's option string: a type, then
    /// comma-separated key=value options (each key once).</summary>
    private static AuthConfig BuildAuth(Func<string, string> get, Func<string, string?> explicitValue)
    {
        _ = explicitValue;
        var ttl = Int("auth-token-ttl", get("auth-token-ttl"), 1, int.MaxValue);
        var cost = Int("bcrypt-cost", get("bcrypt-cost"), 4, 31);
        var parts = get("auth-token").Split(',');
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in parts.Skip(1))
        {
            var pair = part.Split('=');
            if (pair.Length != 2 || !options.TryAdd(pair[0], pair[1]))
                throw new ConfigurationException($"--auth-token: invalid auth options '{part}' (expected key=value, each key once)");
        }
        var config = new AuthConfig { TokenTtl = TimeSpan.FromSeconds(ttl), BcryptCost = cost };
        switch (parts[0])
        {
            case "simple":
                return config with { TokenKind = "simple" };
            case "jwt":
                var method = options.GetValueOrDefault("sign-method")
                    ?? throw new ConfigurationException("--auth-token: auth: invalid auth signature method (jwt needs sign-method=RS256, ES256, HS256, ...)");
                if (!JwtMethods.Contains(method))
                    throw new ConfigurationException($"--auth-token: auth: invalid auth signature method '{method}' ({string.Join(", ", JwtMethods)})");
                // An empty path is no key (etcd's).
                var pub = options.GetValueOrDefault("pub-key") is { Length: > 0 } p ? p : null;
                var priv = options.GetValueOrDefault("priv-key") is { Length: > 0 } k ? k : null;
                var jwt = new Coordinator.Gateway.Auth.JwtOptions(method, pub, priv,
                    options.TryGetValue("ttl", out var t) ? GoDuration("--auth-token ttl", t) : TimeSpan.FromMinutes(5));
                // The keys are read now: a member that cannot issue or check tokens does not start (as etcd).
                try { _ = Coordinator.Gateway.Auth.JwtKeys.Load(jwt); }
                catch (ArgumentException e) { throw new ConfigurationException("--auth-token: " + e.Message); }
                return config with
                {
                    TokenKind = "jwt", JwtSignMethod = method, JwtPublicKey = pub, JwtPrivateKey = priv, JwtTtl = jwt.Ttl,
                };
            default:
                throw new ConfigurationException($"--auth-token: unknown token type '{parts[0]}' (simple or jwt)");
        }
    }

    /// <summary>A Go duration such as "5m", "90s", "1h30m", "300ms".</summary>
    private static TimeSpan GoDuration(string what, string value)
    {
        var total = TimeSpan.Zero;
        var i = 0;
        if (value.Length == 0) throw new ConfigurationException($"{what}: empty duration");
        while (i < value.Length)
        {
            var start = i;
            while (i < value.Length && (char.IsAsciiDigit(value[i]) || value[i] == '.')) i++;
            if (!double.TryParse(value.AsSpan(start, i - start), System.Globalization.NumberStyles.Float,
                    System.Globalization.CultureInfo.InvariantCulture, out var number))
                throw new ConfigurationException($"{what}: invalid duration '{value}'");
            var unitStart = i;
            while (i < value.Length && char.IsAsciiLetter(value[i])) i++;
            total += value[unitStart..i] switch
            {
                "h" => TimeSpan.FromHours(number),
                "m" => TimeSpan.FromMinutes(number),
                "s" => TimeSpan.FromSeconds(number),
                "ms" => TimeSpan.FromMilliseconds(number),
                _ => throw new ConfigurationException($"{what}: invalid duration '{value}'"),
            };
        }
        if (total <= TimeSpan.Zero) throw new ConfigurationException($"{what}: duration must be positive");
        return total;
    }
}
