using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Authpb;
using Etcdserverpb;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;
using Xunit.Abstractions;
using static Coordinator.Tests.Integration.Auth.AuthTarget;

namespace Coordinator.Tests.Integration.Auth;

/// <summary>
/// Differential: `--auth-token jwt,...` against real etcd 3.4 and Coordinator with the same keys, every step's outcome
/// the same (OK, or the same status code and text): the token's form and claims; using it; garbage, tampered,
/// foreign-key, unsigned and expired tokens ("etcdserver: invalid auth token"); tokens made by the test with the
/// server's key, as etcd makes them; a token from before an auth change ("revision of auth store is old"); a member
/// with only the public key (verifies, cannot sign).
/// </summary>
public sealed class JwtAuthTests(ITestOutputHelper output) : IDisposable
{
    private const int TtlSeconds = 3;
    private readonly string _dir = Directory.CreateTempSubdirectory("coordinator-jwt-it-").FullName;

    private sealed record Keys(string Method, string? PrivateFile, string? PublicFile, SecurityKey Signing, SecurityKey Foreign);

    private Keys MakeKeys(string method)
    {
        string Write(string name, string text)
        {
            var path = Path.Combine(_dir, name);
            File.WriteAllText(path, text);
            return path;
        }
        switch (method[..2])
        {
            case "ES":
            {
                var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                return new Keys(method, Write("ec.pem", ec.ExportECPrivateKeyPem()), Write("ec.pub", ec.ExportSubjectPublicKeyInfoPem()),
                    new ECDsaSecurityKey(ec), new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)));
            }
            case "HS":
            {
                var secret = RandomNumberGenerator.GetBytes(32);
                var path = Path.Combine(_dir, "hmac.secret");
                File.WriteAllBytes(path, secret);
                return new Keys(method, path, null, new SymmetricSecurityKey(secret), new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)));
            }
            default:
            {
                var rsa = RSA.Create(2048);
                return new Keys(method, Write("rsa.pem", rsa.ExportPkcs8PrivateKeyPem()), Write("rsa.pub", rsa.ExportSubjectPublicKeyInfoPem()),
                    new RsaSecurityKey(rsa), new RsaSecurityKey(RSA.Create(2048)));
            }
        }
    }

    private static string AuthTokenFlag(Keys keys, bool verifyOnly) =>
        "jwt," + (keys.PublicFile is { } pub ? $"pub-key={pub}," : "") + (verifyOnly ? "" : $"priv-key={keys.PrivateFile},")
        + $"sign-method={keys.Method},ttl={TtlSeconds}s";

    /// <summary>A token as etcd's tokenJWT.assign makes it.</summary>
    private static string Make(SecurityKey key, string algorithm, string user, long revision, DateTimeOffset? expires = null) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["username"] = user, ["revision"] = revision },
            Expires = (expires ?? DateTimeOffset.UtcNow.AddMinutes(1)).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, algorithm),
        });

    private static JsonElement Claims(string token) =>
        JsonDocument.Parse(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.Split('.')[1]))).RootElement;

    private static Task<string> PutAsync(AuthTarget t, string? token, string key = "allowed/p") =>
        OutcomeAsync(() => t.Kv.PutAsync(new PutRequest { Key = B(key), Value = B("v") }, WithToken(token)).ResponseAsync);

    private static Task<string> RangeAsync(AuthTarget t, string? token) =>
        OutcomeAsync(() => t.Kv.RangeAsync(new RangeRequest { Key = B("allowed/k") }, WithToken(token)).ResponseAsync);

    private static async Task<List<(string Step, string Outcome)>> RunStepsAsync(AuthTarget t, Keys keys)
    {
        var steps = new List<(string, string)>();
        await t.SetUpUsersAsync();
        var token = await t.LoginAsync("alice", "alicepw");
        var claims = Claims(token);
        var revision = claims.GetProperty("revision").GetInt64();
        var ttl = claims.GetProperty("exp").GetInt64() - DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        steps.Add(("token", $"alg {new JsonWebToken(token).Alg}, claims {string.Join(",", claims.EnumerateObject().Select(p => p.Name).Order())}, " +
                            $"user {claims.GetProperty("username").GetString()}, ttl within [{TtlSeconds - 1},{TtlSeconds}]: {ttl >= TtlSeconds - 1 && ttl <= TtlSeconds}"));
        steps.Add(("revision claim", revision.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        steps.Add(("put allowed", await PutAsync(t, token)));
        steps.Add(("range allowed", await RangeAsync(t, token)));
        steps.Add(("put denied", await PutAsync(t, token, "denied/p")));
        steps.Add(("garbage", await PutAsync(t, "garbage")));
        var parts = token.Split('.');
        var asRoot = Base64UrlEncoder.Encode(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"alice\"", "\"root\"", StringComparison.Ordinal));
        steps.Add(("tampered payload", await PutAsync(t, $"{parts[0]}.{asRoot}.{parts[2]}", "denied/p")));
        steps.Add(("foreign key", await PutAsync(t, Make(keys.Foreign, keys.Method, "root", revision), "denied/p")));
        steps.Add(("unsigned", await PutAsync(t, parts[0] + "." + Base64UrlEncoder.Encode($"{{\"username\":\"root\",\"revision\":{revision}}}") + ".", "denied/p")));
        steps.Add(("made with the key", await PutAsync(t, Make(keys.Signing, keys.Method, "root", revision), "denied/p")));
        steps.Add(("made for a future revision: put", await PutAsync(t, Make(keys.Signing, keys.Method, "alice", revision + 1000))));
        steps.Add(("made for a future revision: range", await RangeAsync(t, Make(keys.Signing, keys.Method, "alice", revision + 1000))));
        steps.Add(("made for an unknown user", await PutAsync(t, Make(keys.Signing, keys.Method, "mallory", revision))));
        steps.Add(("made already expired", await PutAsync(t, Make(keys.Signing, keys.Method, "alice", revision, DateTimeOffset.UtcNow.AddSeconds(-5)))));

        // Any auth change makes the tokens before it old (their revision claim is below the store's).
        var root = await t.LoginAsync("root", "rootpw");
        await t.Auth.RoleAddAsync(new AuthRoleAddRequest { Name = "other" }, WithToken(root));
        steps.Add(("old token: put", await PutAsync(t, token)));
        steps.Add(("old token: range", await RangeAsync(t, token)));
        var fresh = await t.LoginAsync("alice", "alicepw");
        steps.Add(("new token revision", (Claims(fresh).GetProperty("revision").GetInt64() - revision).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        steps.Add(("new token: put", await PutAsync(t, fresh)));

        await Task.Delay(TimeSpan.FromSeconds(TtlSeconds + 1.5));
        steps.Add(("expired", await PutAsync(t, fresh)));
        steps.Add(("expired: watch", await WatchAsync(t, fresh)));
        return steps;
    }

    private static async Task<string> WatchAsync(AuthTarget t, string token)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var call = t.Watch.Watch(WithToken(token), cancellationToken: cancel.Token);
        await call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = B("allowed/k") } });
        try
        {
            if (!await call.ResponseStream.MoveNext(cancel.Token)) return "stream ended";
            var r = call.ResponseStream.Current;
            return r.Canceled ? $"watch canceled: {r.CancelReason}" : r.Created ? "watch created" : "watch: other";
        }
        catch (Grpc.Core.RpcException e) { return $"{e.StatusCode}: {e.Status.Detail}"; }
    }

    private void AssertSame(List<(string Step, string Outcome)> etcd, List<(string Step, string Outcome)> ours)
    {
        Assert.Equal(etcd.Count, ours.Count);
        var mismatches = new List<string>();
        for (var i = 0; i < etcd.Count; i++)
        {
            output.WriteLine($"{etcd[i].Step,-36} etcd: {etcd[i].Outcome,-70} ours: {ours[i].Outcome}");
            if (etcd[i] != ours[i]) mismatches.Add($"{etcd[i].Step}: etcd '{etcd[i].Outcome}', ours '{ours[i].Outcome}'");
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES256")]
    [InlineData("HS256")]
    public async Task Jwt_tokens_are_issued_checked_and_refused_as_etcd_does(string method)
    {
        var keys = MakeKeys(method);
        var flag = AuthTokenFlag(keys, verifyOnly: false);
        using var etcd = new EtcdProcess("--auth-token", flag);
        using var cluster = new TestCluster(1, "--auth-token", flag);
        await etcd.WaitHealthyAsync();
        await cluster.StartAsync();
        using var theirs = new AuthTarget(etcd.Endpoint);
        using var ours = new AuthTarget(cluster.Members[0].Endpoint);

        var expected = await RunStepsAsync(theirs, keys);
        AssertSame(expected, await RunStepsAsync(ours, keys));
        // Not trivial: etcd itself accepts and refuses tokens here.
        Assert.Contains(("put allowed", "OK"), expected);
        Assert.Contains(("garbage", "Unauthenticated: etcdserver: invalid auth token"), expected);
        Assert.Contains(("old token: put", "InvalidArgument: etcdserver: revision of auth store is old"), expected);
        Assert.Contains(("expired", "Unauthenticated: etcdserver: invalid auth token"), expected);
    }

    private static async Task<List<(string Step, string Outcome)>> RunVerifyOnlyStepsAsync(AuthTarget t, Keys keys)
    {
        var steps = new List<(string, string)>();
        await t.Kv.PutAsync(new PutRequest { Key = B("allowed/k"), Value = B("1") });
        await t.Auth.UserAddAsync(new AuthUserAddRequest { Name = "root", Password = "rootpw" });
        await t.Auth.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "root", Role = "root" });
        await t.Auth.AuthEnableAsync(new AuthEnableRequest());
        steps.Add(("login", await OutcomeAsync(() => t.LoginAsync("root", "rootpw"))));
        steps.Add(("login, wrong password", await OutcomeAsync(() => t.LoginAsync("root", "nope"))));
        steps.Add(("made with the private key: put", await PutAsync(t, Make(keys.Signing, keys.Method, "root", 1_000_000))));
        steps.Add(("made with the private key: range", await RangeAsync(t, Make(keys.Signing, keys.Method, "root", 1_000_000))));
        steps.Add(("made for revision 1", await PutAsync(t, Make(keys.Signing, keys.Method, "root", 1))));
        steps.Add(("foreign key", await PutAsync(t, Make(keys.Foreign, keys.Method, "root", 1_000_000))));
        return steps;
    }

    [Fact]
    public async Task A_member_with_only_the_public_key_checks_tokens_but_cannot_issue_them()
    {
        var keys = MakeKeys("RS256");
        var flag = AuthTokenFlag(keys, verifyOnly: true);
        using var etcd = new EtcdProcess("--auth-token", flag);
        using var cluster = new TestCluster(1, "--auth-token", flag);
        await etcd.WaitHealthyAsync();
        await cluster.StartAsync();
        using var theirs = new AuthTarget(etcd.Endpoint);
        using var ours = new AuthTarget(cluster.Members[0].Endpoint);

        var expected = await RunVerifyOnlyStepsAsync(theirs, keys);
        AssertSame(expected, await RunVerifyOnlyStepsAsync(ours, keys));
        Assert.Contains(("login", "Unknown: auth: token signing attempted with verify-only key"), expected);
        Assert.Contains(("made with the private key: put", "OK"), expected);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch { }
    }
}
