using Authpb;
using Etcdserverpb;
using Xunit;
using Xunit.Abstractions;
using static Coordinator.Tests.Integration.Auth.AuthTarget;

namespace Coordinator.Tests.Integration.Auth;

/// <summary>
/// Bad input to the Auth service. Where etcd 3.4 has a rule (empty names, unknown users and roles, duplicates,
/// revoking what was not granted) the same calls run against etcd and Coordinator with the same outcomes. Where it
/// has none, Coordinator's own bounds hold and refuse with a clear text, storing nothing: names over 1 KiB,
/// passwords over bcrypt's 72 bytes, permission ranges that end where or before they start (etcd 3.5's rule).
/// </summary>
public sealed class AuthBadInputTests(ITestOutputHelper output)
{
    private static readonly string Name1024 = new('n', 1024);

    private static async Task<List<(string Step, string Outcome)>> RunSharedAsync(AuthTarget t)
    {
        var steps = new List<(string, string)>();
        async Task Step(string name, Func<Task> call) => steps.Add((name, await OutcomeAsync(call)));
        Permission Perm(string key, string end = "") => new() { PermType = Permission.Types.Type.Read, Key = B(key), RangeEnd = B(end) };

        await Step("user add empty name", () => t.Auth.UserAddAsync(new AuthUserAddRequest { Name = "", Password = "pw" }).ResponseAsync);
        await Step("role add empty name", () => t.Auth.RoleAddAsync(new AuthRoleAddRequest { Name = "" }).ResponseAsync);
        await Step("user add", () => t.Auth.UserAddAsync(new AuthUserAddRequest { Name = "u", Password = "pw" }).ResponseAsync);
        await Step("user add again", () => t.Auth.UserAddAsync(new AuthUserAddRequest { Name = "u", Password = "other" }).ResponseAsync);
        await Step("user add empty password", () => t.Auth.UserAddAsync(new AuthUserAddRequest { Name = "nopw", Password = "" }).ResponseAsync);
        await Step("user add 1024-byte name", () => t.Auth.UserAddAsync(new AuthUserAddRequest { Name = Name1024, Password = "pw" }).ResponseAsync);
        await Step("user add 72-byte password", () => t.Auth.UserAddAsync(new AuthUserAddRequest { Name = "p72", Password = new string('p', 72) }).ResponseAsync);
        await Step("role add", () => t.Auth.RoleAddAsync(new AuthRoleAddRequest { Name = "r" }).ResponseAsync);
        await Step("role add again", () => t.Auth.RoleAddAsync(new AuthRoleAddRequest { Name = "r" }).ResponseAsync);
        await Step("role add 1024-byte name", () => t.Auth.RoleAddAsync(new AuthRoleAddRequest { Name = Name1024 }).ResponseAsync);
        await Step("user get unknown", () => t.Auth.UserGetAsync(new AuthUserGetRequest { Name = "ghost" }).ResponseAsync);
        await Step("user get empty", () => t.Auth.UserGetAsync(new AuthUserGetRequest { Name = "" }).ResponseAsync);
        await Step("user delete unknown", () => t.Auth.UserDeleteAsync(new AuthUserDeleteRequest { Name = "ghost" }).ResponseAsync);
        await Step("user passwd unknown", () => t.Auth.UserChangePasswordAsync(new AuthUserChangePasswordRequest { Name = "ghost", Password = "x" }).ResponseAsync);
        await Step("grant role to unknown user", () => t.Auth.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "ghost", Role = "r" }).ResponseAsync);
        await Step("grant unknown role", () => t.Auth.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "u", Role = "ghost" }).ResponseAsync);
        await Step("grant empty role", () => t.Auth.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "u", Role = "" }).ResponseAsync);
        await Step("revoke ungranted role", () => t.Auth.UserRevokeRoleAsync(new AuthUserRevokeRoleRequest { Name = "u", Role = "r" }).ResponseAsync);
        await Step("revoke role of unknown user", () => t.Auth.UserRevokeRoleAsync(new AuthUserRevokeRoleRequest { Name = "ghost", Role = "r" }).ResponseAsync);
        await Step("role get unknown", () => t.Auth.RoleGetAsync(new AuthRoleGetRequest { Role = "ghost" }).ResponseAsync);
        await Step("role delete unknown", () => t.Auth.RoleDeleteAsync(new AuthRoleDeleteRequest { Role = "ghost" }).ResponseAsync);
        await Step("grant permission to unknown role", () => t.Auth.RoleGrantPermissionAsync(new AuthRoleGrantPermissionRequest { Name = "ghost", Perm = Perm("k") }).ResponseAsync);
        await Step("revoke ungranted permission", () => t.Auth.RoleRevokePermissionAsync(new AuthRoleRevokePermissionRequest { Role = "r", Key = B("k") }).ResponseAsync);
        await Step("revoke permission of unknown role", () => t.Auth.RoleRevokePermissionAsync(new AuthRoleRevokePermissionRequest { Role = "ghost", Key = B("k") }).ResponseAsync);
        await Step("grant permission", () => t.Auth.RoleGrantPermissionAsync(new AuthRoleGrantPermissionRequest { Name = "r", Perm = Perm("a", "b") }).ResponseAsync);
        await Step("revoke same key, other end", () => t.Auth.RoleRevokePermissionAsync(new AuthRoleRevokePermissionRequest { Role = "r", Key = B("a"), RangeEnd = B("c") }).ResponseAsync);
        steps.Add(("role r", string.Join(" ", (await t.Auth.RoleGetAsync(new AuthRoleGetRequest { Role = "r" })).Perm.Select(p => $"{p.PermType}[{p.Key.ToStringUtf8()},{p.RangeEnd.ToStringUtf8()})"))));
        steps.Add(("users", string.Join(",", (await t.Auth.UserListAsync(new AuthUserListRequest())).Users.Select(u => u.Length > 10 ? $"<{u.Length} chars>" : u))));
        steps.Add(("roles", string.Join(",", (await t.Auth.RoleListAsync(new AuthRoleListRequest())).Roles.Select(r => r.Length > 10 ? $"<{r.Length} chars>" : r))));

        await t.Auth.UserAddAsync(new AuthUserAddRequest { Name = "root", Password = "rootpw" });
        await t.Auth.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "root", Role = "root" });
        await t.Auth.AuthEnableAsync(new AuthEnableRequest());
        await Step("login empty name", () => t.LoginAsync("", "pw"));
        await Step("login unknown user", () => t.LoginAsync("ghost", "pw"));
        await Step("login empty password", () => t.LoginAsync("nopw", ""));
        await Step("login empty password, wrong", () => t.LoginAsync("nopw", "x"));
        await Step("login 1024-byte name", () => t.LoginAsync(Name1024, "pw"));
        await Step("login 72-byte password", () => t.LoginAsync("p72", new string('p', 72)));
        await Step("login 71 bytes of it", () => t.LoginAsync("p72", new string('p', 71)));
        return steps;
    }

    [Fact]
    public async Task Bad_input_where_etcd_has_a_rule_is_refused_as_etcd_refuses_it()
    {
        using var etcd = new EtcdProcess();
        using var cluster = new TestCluster(1);
        await etcd.WaitHealthyAsync();
        await cluster.StartAsync();
        using var theirs = new AuthTarget(etcd.Endpoint);
        using var ours = new AuthTarget(cluster.Members[0].Endpoint);

        var expected = await RunSharedAsync(theirs);
        var actual = await RunSharedAsync(ours);
        Assert.Equal(expected.Count, actual.Count);
        var mismatches = new List<string>();
        for (var i = 0; i < expected.Count; i++)
        {
            output.WriteLine($"{expected[i].Step,-36} etcd: {expected[i].Outcome,-72} ours: {actual[i].Outcome}");
            if (expected[i] != actual[i]) mismatches.Add($"{expected[i].Step}: etcd '{expected[i].Outcome}', ours '{actual[i].Outcome}'");
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.Contains(("user add empty name", "InvalidArgument: etcdserver: user name is empty"), expected);
        Assert.Contains(("role add empty name", "InvalidArgument: etcdserver: role name is empty"), expected);
    }

    [Fact]
    public async Task Names_passwords_and_ranges_beyond_the_bounds_are_refused_and_nothing_is_stored()
    {
        using var cluster = new TestCluster(1);
        await cluster.StartAsync();
        using var t = new AuthTarget(cluster.Members[0].Endpoint);
        var name1025 = new string('n', 1025);
        // 512 two-byte characters are 1024 bytes; one more is 1026.
        var wide513 = new string('é', 513);

        Assert.Equal("InvalidArgument: etcdserver: user name is longer than 1024 bytes",
            await OutcomeAsync(() => t.Auth.UserAddAsync(new AuthUserAddRequest { Name = name1025, Password = "pw" }).ResponseAsync));
        Assert.Equal("InvalidArgument: etcdserver: user name is longer than 1024 bytes",
            await OutcomeAsync(() => t.Auth.UserAddAsync(new AuthUserAddRequest { Name = wide513, Options = new UserAddOptions { NoPassword = true } }).ResponseAsync));
        Assert.Equal("OK", await OutcomeAsync(() => t.Auth.UserAddAsync(new AuthUserAddRequest { Name = wide513[..512], Password = "pw" }).ResponseAsync));
        Assert.Equal("InvalidArgument: etcdserver: role name is longer than 1024 bytes",
            await OutcomeAsync(() => t.Auth.RoleAddAsync(new AuthRoleAddRequest { Name = name1025 }).ResponseAsync));
        Assert.Equal("InvalidArgument: etcdserver: role name is longer than 1024 bytes",
            await OutcomeAsync(() => t.Auth.RoleAddAsync(new AuthRoleAddRequest { Name = wide513 }).ResponseAsync));

        // bcrypt would ignore the bytes past the 72nd (etcd 3.4 stores such a password and accepts any suffix).
        Assert.Equal("Unknown: bcrypt: password length exceeds 72 bytes",
            await OutcomeAsync(() => t.Auth.UserAddAsync(new AuthUserAddRequest { Name = "long", Password = new string('p', 73) }).ResponseAsync));
        Assert.Equal("Unknown: bcrypt: password length exceeds 72 bytes",
            await OutcomeAsync(() => t.Auth.UserAddAsync(new AuthUserAddRequest { Name = "long", Password = new string('é', 37) }).ResponseAsync));
        await t.Auth.UserAddAsync(new AuthUserAddRequest { Name = "p72", Password = new string('p', 72) });
        Assert.Equal("Unknown: bcrypt: password length exceeds 72 bytes",
            await OutcomeAsync(() => t.Auth.UserChangePasswordAsync(new AuthUserChangePasswordRequest { Name = "p72", Password = new string('q', 73) }).ResponseAsync));

        // A range that ends where or before it starts covers nothing: refused (etcd 3.5's rule; 3.4 stores it).
        await t.Auth.RoleAddAsync(new AuthRoleAddRequest { Name = "r" });
        foreach (var (key, end) in new[] { ("b", "a"), ("b", "b"), ("b", "A") })
            Assert.Equal("InvalidArgument: etcdserver: invalid auth management", await OutcomeAsync(() => t.Auth.RoleGrantPermissionAsync(
                new AuthRoleGrantPermissionRequest { Name = "r", Perm = new Permission { PermType = Permission.Types.Type.Read, Key = B(key), RangeEnd = B(end) } }).ResponseAsync));
        Assert.Equal("InvalidArgument: etcdserver: permission not given",
            await OutcomeAsync(() => t.Auth.RoleGrantPermissionAsync(new AuthRoleGrantPermissionRequest { Name = "r" }).ResponseAsync));
        // From-key ("\0") and a single key are fine.
        Assert.Equal("OK", await OutcomeAsync(() => t.Auth.RoleGrantPermissionAsync(new AuthRoleGrantPermissionRequest
        {
            Name = "r", Perm = new Permission { PermType = Permission.Types.Type.Read, Key = B("b"), RangeEnd = B("\0") },
        }).ResponseAsync));
        Assert.Equal("OK", await OutcomeAsync(() => t.Auth.RoleGrantPermissionAsync(new AuthRoleGrantPermissionRequest
        {
            Name = "r", Perm = new Permission { PermType = Permission.Types.Type.Write, Key = B("single") },
        }).ResponseAsync));

        Assert.Equal(["p72", wide513[..512]], (await t.Auth.UserListAsync(new AuthUserListRequest())).Users.Order(StringComparer.Ordinal));
        Assert.Equal(["r"], (await t.Auth.RoleListAsync(new AuthRoleListRequest())).Roles);
        Assert.Equal(["Read[b,\0)", "Write[single,)"],
            (await t.Auth.RoleGetAsync(new AuthRoleGetRequest { Role = "r" })).Perm.Select(p => $"{p.PermType}[{p.Key.ToStringUtf8()},{p.RangeEnd.ToStringUtf8()})"));

        await t.Auth.UserAddAsync(new AuthUserAddRequest { Name = "root", Password = "rootpw" });
        await t.Auth.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "root", Role = "root" });
        await t.Auth.AuthEnableAsync(new AuthEnableRequest());
        Assert.Equal("OK", await OutcomeAsync(() => t.LoginAsync("p72", new string('p', 72))));
        // The first 72 bytes match; the password does not.
        Assert.Equal("InvalidArgument: etcdserver: authentication failed, invalid user ID or password",
            await OutcomeAsync(() => t.LoginAsync("p72", new string('p', 72) + "extra")));
        Assert.Equal("InvalidArgument: etcdserver: authentication failed, invalid user ID or password",
            await OutcomeAsync(() => t.LoginAsync("p72", new string('p', 71))));
    }
}
