using Coordinator.Grains.Store.V2Auth;
using Coordinator.Protocol.Internal;
using Xunit;

namespace Coordinator.Tests.Store.V2Auth;

/// <summary>etcd 3.4's v2 auth rules (package v2auth) as the replicated state machine applies them.</summary>
public class V2AuthStoreTests
{
    private const string Hash = "$2a$10$hash-made-by-the-proposer";

    private static V2AuthCommand CreateUser(string name, string hash = Hash, string[]? roles = null, bool orUpdate = false)
    {
        var c = new V2AuthUserCreate { Name = name, PasswordHash = hash, OrUpdate = orUpdate };
        if (roles is not null) { c.Roles = new V2AuthStrings(); c.Roles.Values.AddRange(roles); }
        return new V2AuthCommand { UserCreate = c };
    }

    private static V2AuthCommand UpdateUser(string name, string hash = "", string[]? grant = null, string[]? revoke = null)
    {
        var u = new V2AuthUserUpdate { Name = name, PasswordHash = hash };
        u.Grant.AddRange(grant ?? []);
        u.Revoke.AddRange(revoke ?? []);
        return new V2AuthCommand { UserUpdate = u };
    }

    private static V2AuthCommand CreateRole(string name, string[]? read = null, string[]? write = null)
    {
        var c = new V2AuthRoleCreate { Name = name };
        if (read is not null) { c.Read = new V2AuthStrings(); c.Read.Values.AddRange(read); }
        if (write is not null) { c.Write = new V2AuthStrings(); c.Write.Values.AddRange(write); }
        return new V2AuthCommand { RoleCreate = c };
    }

    private static V2AuthCommand UpdateRole(string name, string[]? grantRead = null, string[]? grantWrite = null, string[]? revokeRead = null, string[]? revokeWrite = null)
    {
        var u = new V2AuthRoleUpdate { Name = name };
        u.GrantRead.AddRange(grantRead ?? []);
        u.GrantWrite.AddRange(grantWrite ?? []);
        u.RevokeRead.AddRange(revokeRead ?? []);
        u.RevokeWrite.AddRange(revokeWrite ?? []);
        return new V2AuthCommand { RoleUpdate = u };
    }

    private static readonly V2AuthCommand Enable = new() { Enable = new V2AuthEnable() };
    private static readonly V2AuthCommand Disable = new() { Disable = new V2AuthDisable() };
    private static V2AuthCommand DeleteUser(string name) => new() { UserDelete = new V2AuthName { Name = name } };
    private static V2AuthCommand DeleteRole(string name) => new() { RoleDelete = new V2AuthName { Name = name } };

    /// <summary>A refusal with etcd's status and text that leaves the state as it was.</summary>
    private static void Refused(V2AuthStore store, V2AuthCommand command, int status, string message)
    {
        var before = V2AuthSnapshot.Encode(store.State);
        var e = Assert.Throws<V2AuthError>(() => store.Apply(command));
        Assert.Equal((status, message), (e.Status, e.Message));
        Assert.Equal(before, V2AuthSnapshot.Encode(store.State));
    }

    [Fact]
    public void Enabling_needs_a_root_user_and_creates_the_guest_role_with_read_and_write_on_everything()
    {
        var s = new V2AuthStore();
        Refused(s, Disable, 409, "auth: already disabled");
        Refused(s, Enable, 409, "auth: No root user available, please create one");
        s.Apply(CreateUser("root"));
        Assert.Null(s.GetRole("guest"));
        s.Apply(Enable);
        Assert.True(s.Enabled);
        var guest = s.GetRole("guest")!;
        Assert.Equal(new[] { "/*" }, guest.Read);
        Assert.Equal(new[] { "/*" }, guest.Write);
        Refused(s, Enable, 409, "auth: already enabled");
        Refused(s, DeleteUser("root"), 403, "auth: Cannot delete root user while auth is enabled.");
        s.Apply(Disable);
        Assert.False(s.Enabled);
        s.Apply(DeleteUser("root"));
        Assert.Null(s.GetUser("root"));
    }

    [Fact]
    public void An_existing_guest_role_is_kept_when_auth_is_enabled()
    {
        var s = new V2AuthStore();
        s.Apply(CreateRole("guest", read: ["/public/*"]));
        s.Apply(CreateUser("root"));
        s.Apply(Enable);
        var guest = s.GetRole("guest")!;
        Assert.Equal(new[] { "/public/*" }, guest.Read);
        Assert.Null(guest.Write);
        Assert.False(guest.HasKeyAccess("/public/x", write: true));
    }

    [Fact]
    public void Users_are_created_once_with_a_password_and_root_always_holds_the_root_role()
    {
        var s = new V2AuthStore();
        var root = s.Apply(CreateUser("root", roles: ["ops"])).User!;
        Assert.Equal(new[] { "ops", "root" }, root.Roles);
        var bob = s.Apply(CreateUser("bob", orUpdate: true));
        Assert.True(bob.Created);
        Assert.Null(bob.User!.Roles); // Go's nil slice: JSON null
        Refused(s, CreateUser("bob", roles: ["x"]), 409, "auth: User bob already exists.");
        Refused(s, CreateUser("eve", hash: "", roles: ["x"]), 400, "auth: Cannot create user eve with an empty password");
        Refused(s, CreateUser("eve", hash: "", orUpdate: true), 400, "auth: Cannot create user eve with an empty password");
        Assert.Equal(new[] { "bob", "root" }, s.UserNames());
        Assert.Equal(new[] { "root" }, s.RoleNames());
    }

    [Fact]
    public void Create_or_update_of_an_existing_user_changes_its_password_and_refuses_a_change_that_changes_nothing()
    {
        var s = new V2AuthStore();
        s.Apply(CreateUser("bob", orUpdate: true));
        // The first update turns the nil roles into an empty list: etcd's DeepEqual sees a change.
        var same = s.Apply(CreateUser("bob", hash: "", orUpdate: true));
        Assert.False(same.Created);
        Assert.Equal(Array.Empty<string>(), same.User!.Roles);
        Assert.Equal(Hash, s.GetUser("bob")!.PasswordHash);
        Refused(s, CreateUser("bob", hash: "", orUpdate: true), 400, "auth: User not updated. Use grant/revoke/password to update the user.");
        var changed = s.Apply(CreateUser("bob", hash: "$2a$10$new", orUpdate: true));
        Assert.Equal("$2a$10$new", changed.User!.PasswordHash);
        Assert.False(changed.Created);
    }

    [Fact]
    public void Grants_must_be_new_and_revokes_must_be_held_and_roles_come_out_sorted()
    {
        var s = new V2AuthStore();
        s.Apply(CreateUser("bob", roles: ["zeta"]));
        var u = s.Apply(UpdateUser("bob", grant: ["beta", "alpha"])).User!;
        Assert.Equal(new[] { "alpha", "beta", "zeta" }, u.Roles);
        Refused(s, UpdateUser("bob", grant: ["beta"]), 409, "auth: Granting duplicate role beta for user bob");
        Refused(s, UpdateUser("bob", grant: ["new", "new"]), 409, "auth: Granting duplicate role new for user bob");
        Refused(s, UpdateUser("bob", revoke: ["gamma"]), 409, "auth: Revoking ungranted role gamma for user bob");
        Refused(s, UpdateUser("nobody", grant: ["x"]), 404, "auth: User nobody does not exist.");
        Assert.Equal(new[] { "zeta" }, s.Apply(UpdateUser("bob", revoke: ["alpha", "beta"])).User!.Roles);
        Refused(s, UpdateUser("bob", grant: ["x"], revoke: ["x"]), 400, "auth: User not updated. Use grant/revoke/password to update the user.");
        Refused(s, DeleteUser("nobody"), 404, "auth: User nobody does not exist");
    }

    [Fact]
    public void Roles_root_is_built_in_and_cannot_be_changed_and_others_merge_grants_and_revokes()
    {
        var s = new V2AuthStore();
        Refused(s, CreateRole("root"), 403, "auth: Cannot modify role root: is root role.");
        Refused(s, UpdateRole("root", grantRead: ["/x"]), 403, "auth: Cannot modify role root: is root role.");
        Refused(s, DeleteRole("root"), 403, "auth: Cannot modify role root: is root role.");
        // Created as given: unsorted, duplicates kept, absent lists absent.
        var created = s.Apply(CreateRole("app", read: ["/b", "/a", "/a"])).Role!;
        Assert.Equal(new[] { "/b", "/a", "/a" }, created.Read);
        Assert.Null(created.Write);
        Refused(s, CreateRole("app"), 409, "auth: Role app already exists.");
        Refused(s, UpdateRole("app", grantRead: ["/a"]), 409, "auth: Granting duplicate read permission /a");
        Refused(s, UpdateRole("app", grantWrite: ["/w", "/w"]), 409, "auth: Granting duplicate write permission /w");
        Refused(s, UpdateRole("none", grantRead: ["/a"]), 404, "auth: Role none does not exist.");
        // Any update sorts and dedups both lists; revoking what is not held is no error.
        var updated = s.Apply(UpdateRole("app", grantWrite: ["/w/*"], revokeRead: ["/b", "/never"])).Role!;
        Assert.Equal(new[] { "/a" }, updated.Read);
        Assert.Equal(new[] { "/w/*" }, updated.Write);
        Refused(s, UpdateRole("app", revokeRead: ["/never"]), 400, "auth: Role not updated. Use grant/revoke to update the role.");
        Assert.Equal(new[] { "app", "root" }, s.RoleNames());
        Assert.Same(V2AuthRole.Root, s.GetRole("root"));
        s.Apply(DeleteRole("app"));
        Refused(s, DeleteRole("app"), 404, "auth: Role app doesn't exist.");
    }

    [Fact]
    public void A_role_with_no_permissions_changes_on_its_first_revoke_and_not_on_the_second()
    {
        var s = new V2AuthStore();
        s.Apply(CreateRole("empty"));
        var first = s.Apply(UpdateRole("empty", revokeRead: ["/x"])).Role!;
        Assert.Equal(Array.Empty<string>(), first.Read);
        Assert.Equal(Array.Empty<string>(), first.Write);
        Refused(s, UpdateRole("empty", revokeRead: ["/x"]), 400, "auth: Role not updated. Use grant/revoke to update the role.");
    }

    [Theory]
    [InlineData("/foo/*", "/foo/bar", true, true)]
    [InlineData("/foo/*", "/foo/bar/baz", true, true)]
    [InlineData("/foo/*", "/foo/", true, true)]
    [InlineData("/foo/*", "/foo", false, false)]
    [InlineData("/foo/*", "/foobar", false, false)]
    [InlineData("/foo*", "/foobar", true, true)]
    [InlineData("/foo", "/foo", true, false)]
    [InlineData("/foo", "/foo/bar", false, false)]
    [InlineData("/*", "/anything", true, true)]
    [InlineData("/*", "", false, false)]
    [InlineData("*", "", true, true)]
    public void Patterns_ending_in_a_star_match_by_prefix_and_others_exactly_and_recursive_access_needs_a_star(
        string pattern, string key, bool plain, bool recursive)
    {
        var role = new V2AuthRole("r", [pattern], null);
        Assert.Equal(plain, role.HasKeyAccess(key, write: false));
        Assert.Equal(recursive, role.HasRecursiveAccess(key, write: false));
        Assert.False(role.HasKeyAccess(key, write: true));
        var writer = new V2AuthRole("w", null, [pattern]);
        Assert.Equal(plain, writer.HasKeyAccess(key, write: true));
        Assert.False(writer.HasKeyAccess(key, write: false));
    }

    [Fact]
    public void The_root_role_reaches_every_key_even_recursively()
    {
        Assert.True(V2AuthRole.Root.HasKeyAccess("", write: true));
        Assert.True(V2AuthRole.Root.HasRecursiveAccess("/a/b", write: true));
        Assert.False(new V2AuthRole("r", [""], [""]).HasKeyAccess("/a", write: false)); // an empty pattern matches nothing
    }

    private static IEnumerable<V2AuthCommand> Script() =>
    [
        CreateUser("root", roles: ["ops"]),
        CreateUser("bob", orUpdate: true),
        CreateRole("app", read: ["/app/*"], write: null),
        UpdateRole("app", grantWrite: ["/app/config"]),
        UpdateUser("bob", grant: ["app", "ops"]),
        CreateUser("bob", roles: ["x"]), // refused
        Enable,
        UpdateUser("bob", hash: "$2a$10$other", revoke: ["ops"]),
        DeleteRole("missing"), // refused
    ];

    [Fact]
    public void Two_members_applying_the_same_log_hold_byte_identical_state()
    {
        var a = new V2AuthStore();
        var b = new V2AuthStore();
        foreach (var command in Script())
        {
            string Outcome(V2AuthStore s)
            {
                try
                {
                    var r = s.Apply(command.Clone());
                    return $"{r.Created} {r.User?.Name} {string.Join(",", r.User?.Roles ?? [])} {r.Role?.Name} {string.Join(",", r.Role?.Read ?? [])}";
                }
                catch (V2AuthError e) { return e.Status + e.Message; }
            }
            Assert.Equal(Outcome(a), Outcome(b));
        }
        Assert.Equal(V2AuthSnapshot.Encode(a.State), V2AuthSnapshot.Encode(b.State));
        Assert.True(a.Enabled);
        Assert.Equal(new[] { "app" }, a.GetUser("bob")!.Roles);
    }

    [Fact]
    public void A_snapshot_round_trip_restores_users_roles_and_the_flag_with_null_lists_kept()
    {
        var source = new V2AuthStore();
        foreach (var command in Script())
            try { source.Apply(command); } catch (V2AuthError) { }
        source.Apply(CreateRole("bare"));
        var bytes = V2AuthSnapshot.Encode(source.State);

        var restored = new V2AuthStore();
        restored.Restore(new MemoryStream(bytes));
        Assert.Equal(bytes, V2AuthSnapshot.Encode(restored.State));
        Assert.True(restored.Enabled);
        Assert.Null(restored.GetRole("bare")!.Read);
        Assert.Equal("$2a$10$other", restored.GetUser("bob")!.PasswordHash);
        Assert.NotNull(restored.GetRole("guest"));
        // The restored store goes on exactly as the source does.
        source.Apply(UpdateRole("bare", grantRead: ["/b"]));
        restored.Apply(UpdateRole("bare", grantRead: ["/b"]));
        Assert.Equal(V2AuthSnapshot.Encode(source.State), V2AuthSnapshot.Encode(restored.State));
    }

    [Fact]
    public void A_snapshot_from_before_the_v2_auth_store_restores_an_empty_disabled_store()
    {
        var s = new V2AuthStore();
        s.Apply(CreateUser("root"));
        s.Apply(Enable);
        s.Restore(new MemoryStream());
        Assert.False(s.Enabled);
        Assert.Empty(s.UserNames());
    }

    [Fact]
    public void A_damaged_section_is_refused_and_the_state_is_kept()
    {
        var s = new V2AuthStore();
        s.Apply(CreateUser("root"));
        var bytes = V2AuthSnapshot.Encode(s.State);
        bytes[^6] ^= 0x20; // inside the body: the checksum no longer matches
        Assert.Throws<InvalidDataException>(() => s.Restore(new MemoryStream(bytes)));
        Assert.NotNull(s.GetUser("root"));
        Assert.Throws<InvalidDataException>(() => s.Restore(new MemoryStream(bytes[..10])));
    }
}
