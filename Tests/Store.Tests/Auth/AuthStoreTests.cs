using Authpb;
using Coordinator.Grains.Store;
using Coordinator.Grains.Store.Auth;
using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Google.Protobuf;
using Xunit;

namespace Coordinator.Tests.Store.Auth;

/// <summary>The auth store through the KV store's Apply, as the log drives it: etcd's rules for users, roles,
/// permissions, the auth revision and admin commands; refusals change nothing.</summary>
public sealed class AuthStoreTests
{
    private readonly TestStore _t = new();
    private static readonly AuthRequestHeader Nobody = new();
    private AuthRequestHeader As(string user) => new() { Username = user, AuthRevision = _t.Store.Auth.Revision };

    private ApplyResult Run(AuthCommand command, AuthRequestHeader? who = null) =>
        _t.ApplyRaw(new RaftRequest { Auth = command, AuthHeader = who });

    private void Ok(AuthCommand command, AuthRequestHeader? who = null)
    {
        var result = Run(command, who);
        Assert.Null(result.Error);
    }

    private void Refused(string text, AuthCommand command, AuthRequestHeader? who = null)
    {
        var revision = _t.Store.Auth.Revision;
        var state = AuthStoreSnapshot.Encode(_t.Store.Auth.State);
        var result = Run(command, who);
        Assert.Equal(text, result.Error?.Message);
        Assert.Equal(revision, _t.Store.Auth.Revision);
        Assert.Equal(state, AuthStoreSnapshot.Encode(_t.Store.Auth.State));
    }

    private static AuthCommand AddUser(string name) => new() { UserAdd = new AuthUserAddHashed { Name = name, PasswordHash = ByteString.CopyFromUtf8("$2a$hash") } };
    private static AuthCommand AddRole(string name) => new() { RoleAdd = new AuthRoleAddRequest { Name = name } };
    private static AuthCommand Grant(string user, string role) => new() { UserGrantRole = new AuthUserGrantRoleRequest { User = user, Role = role } };
    private static AuthCommand Permit(string role, Permission.Types.Type type, string key, string end = "") => new()
    {
        RoleGrantPermission = new AuthRoleGrantPermissionRequest
        {
            Name = role, Perm = new Permission { PermType = type, Key = ByteString.CopyFromUtf8(key), RangeEnd = ByteString.CopyFromUtf8(end) },
        },
    };
    private static readonly AuthCommand Enable = new() { Enable = new AuthEnableRequest() };

    private void EnableWithRootAndAlice()
    {
        Ok(AddUser("root"));
        Ok(Grant("root", "root"));
        Ok(AddUser("alice"));
        Ok(AddRole("reader"));
        Ok(Permit("reader", Permission.Types.Type.Read, "a/", "a0"));
        Ok(Permit("reader", Permission.Types.Type.Readwrite, "w"));
        Ok(Grant("alice", "reader"));
        Ok(Enable);
    }

    [Fact]
    public void Enable_needs_root_user_with_root_role()
    {
        Refused(AuthErrors.RootUserNotExistText, Enable);
        Ok(AddUser("root"));
        Refused(AuthErrors.RootRoleNotExistText, Enable);
        Ok(Grant("root", "root"));
        Ok(Enable);
        Assert.True(_t.Store.Auth.Enabled);
    }

    [Fact]
    public void Empty_names_and_unknown_users_and_roles_are_refused()
    {
        Refused(AuthErrors.UserEmptyText, AddUser(""));
        Refused(AuthErrors.RoleEmptyText, AddRole(""));
        Refused(AuthErrors.UserNotFoundText, Grant("ghost", "root"));
        Ok(AddUser("bob"));
        Refused(AuthErrors.UserAlreadyExistText, AddUser("bob"));
        Refused(AuthErrors.RoleNotFoundText, Grant("bob", "ghost"));
        Refused(AuthErrors.RoleNotFoundText, Permit("ghost", Permission.Types.Type.Read, "k"));
        Refused(AuthErrors.RoleNotGrantedText, new AuthCommand { UserRevokeRole = new AuthUserRevokeRoleRequest { Name = "bob", Role = "x" } });
        Ok(AddRole("r"));
        Refused(AuthErrors.RoleAlreadyExistText, AddRole("r"));
        Refused(AuthErrors.PermissionNotGrantedText, new AuthCommand { RoleRevokePermission = new AuthRoleRevokePermissionRequest { Role = "r", Key = ByteString.CopyFromUtf8("k") } });
        Refused(AuthErrors.UserNotFoundText, new AuthCommand { UserDelete = new AuthUserDeleteRequest { Name = "ghost" } });
        Refused(AuthErrors.RoleNotFoundText, new AuthCommand { RoleDelete = new AuthRoleDeleteRequest { Role = "ghost" } });
    }

    [Fact]
    public void Every_change_bumps_the_revision_and_enable_does_not()
    {
        var start = _t.Store.Auth.Revision;
        Assert.Equal(1ul, start);
        Ok(AddUser("root"));
        Ok(Grant("root", "root"));
        Assert.Equal(3ul, _t.Store.Auth.Revision);
        Ok(Grant("root", "root")); // already granted: nothing changes
        Assert.Equal(3ul, _t.Store.Auth.Revision);
        Ok(Enable);
        Assert.Equal(3ul, _t.Store.Auth.Revision);
        Ok(new AuthCommand { Disable = new AuthDisableRequest() }, As("root"));
        Assert.Equal(4ul, _t.Store.Auth.Revision);
    }

    [Fact]
    public void With_auth_on_admin_commands_need_root()
    {
        EnableWithRootAndAlice();
        Refused(AuthErrors.UserEmptyText, AddRole("x"));
        Refused(AuthErrors.UserEmptyText, AddRole("x"), Nobody);
        Refused(AuthErrors.PermissionDeniedText, AddRole("x"), As("alice"));
        Refused(AuthErrors.UserNotFoundText, AddRole("x"), As("mallory"));
        Ok(AddRole("x"), As("root"));
        Refused(AuthErrors.InvalidAuthMgmtText, new AuthCommand { UserDelete = new AuthUserDeleteRequest { Name = "root" } }, As("root"));
        Refused(AuthErrors.InvalidAuthMgmtText, new AuthCommand { RoleDelete = new AuthRoleDeleteRequest { Role = "root" } }, As("root"));
        Refused(AuthErrors.InvalidAuthMgmtText, new AuthCommand { UserRevokeRole = new AuthUserRevokeRoleRequest { Name = "root", Role = "root" } }, As("root"));
    }

    [Fact]
    public void A_user_may_read_itself_and_its_roles()
    {
        EnableWithRootAndAlice();
        var self = Run(new AuthCommand { UserGet = new AuthUserGetRequest { Name = "alice" } }, As("alice"));
        Assert.Equal(["reader"], ((AuthUserGetResponse)self.Response!).Roles);
        Refused(AuthErrors.PermissionDeniedText, new AuthCommand { UserGet = new AuthUserGetRequest { Name = "root" } }, As("alice"));
        var role = Run(new AuthCommand { RoleGet = new AuthRoleGetRequest { Role = "reader" } }, As("alice"));
        Assert.Equal(2, ((AuthRoleGetResponse)role.Response!).Perm.Count);
        Refused(AuthErrors.PermissionDeniedText, new AuthCommand { RoleGet = new AuthRoleGetRequest { Role = "root" } }, As("alice"));
        Refused(AuthErrors.PermissionDeniedText, new AuthCommand { UserList = new AuthUserListRequest() }, As("alice"));
    }

    [Fact]
    public void Writes_are_checked_when_applied_with_the_entrys_user_and_revision()
    {
        EnableWithRootAndAlice();
        var put = new PutRequest { Key = TestStore.B("w"), Value = TestStore.B("v") };
        Assert.Equal(AuthErrors.UserEmptyText, _t.ApplyRaw(new RaftRequest { Put = put }).Error?.Message);
        Assert.Null(_t.ApplyRaw(new RaftRequest { Put = put, AuthHeader = As("alice") }).Error);
        var denied = new PutRequest { Key = TestStore.B("a/1"), Value = TestStore.B("v") };
        Assert.Equal(AuthErrors.PermissionDeniedText, _t.ApplyRaw(new RaftRequest { Put = denied, AuthHeader = As("alice") }).Error?.Message);
        Assert.Null(_t.ApplyRaw(new RaftRequest { Put = denied, AuthHeader = As("root") }).Error);
        // An entry proposed before an auth change carries the older revision.
        var old = As("alice");
        Ok(AddRole("other"), As("root"));
        Assert.Equal(AuthErrors.AuthOldRevisionText, _t.ApplyRaw(new RaftRequest { Put = put, AuthHeader = old }).Error?.Message);
        Assert.Equal("v", _t.Value("w"));
        Assert.Equal("v", _t.Value("a/1"));
    }

    [Fact]
    public void A_txn_needs_every_permission_it_touches()
    {
        EnableWithRootAndAlice();
        TxnRequest Txn(string compareKey, string putKey) => new()
        {
            Compare = { new Compare { Key = TestStore.B(compareKey), Target = Compare.Types.CompareTarget.Version, Result = Compare.Types.CompareResult.Equal } },
            Success = { new RequestOp { RequestPut = new PutRequest { Key = TestStore.B(putKey), Value = TestStore.B("x") } } },
        };
        Assert.Null(_t.ApplyRaw(new RaftRequest { Txn = Txn("a/1", "w"), AuthHeader = As("alice") }).Error);
        Assert.Equal(AuthErrors.PermissionDeniedText, _t.ApplyRaw(new RaftRequest { Txn = Txn("b", "w"), AuthHeader = As("alice") }).Error?.Message);
        Assert.Equal(AuthErrors.PermissionDeniedText, _t.ApplyRaw(new RaftRequest { Txn = Txn("a/1", "a/2"), AuthHeader = As("alice") }).Error?.Message);
    }

    [Fact]
    public void Revoking_a_lease_needs_write_on_its_keys()
    {
        EnableWithRootAndAlice();
        var lease = _t.Apply<LeaseGrantResponse>(new RaftRequest { LeaseGrant = new LeaseGrantRequest { TTL = 60 }, AuthHeader = As("root") }).ID;
        Assert.Null(_t.ApplyRaw(new RaftRequest { Put = new PutRequest { Key = TestStore.B("a/1"), Lease = lease }, AuthHeader = As("root") }).Error);
        var revoke = new RaftRequest { LeaseRevoke = new LeaseRevokeRequest { ID = lease }, AuthHeader = As("alice") };
        Assert.Equal(AuthErrors.PermissionDeniedText, _t.ApplyRaw(revoke).Error?.Message);
        Assert.Null(_t.ApplyRaw(new RaftRequest { LeaseRevoke = new LeaseRevokeRequest { ID = lease }, AuthHeader = As("root") }).Error);
    }

    [Fact]
    public void Range_permissions_merge_across_roles_and_cover_only_what_they_cover()
    {
        EnableWithRootAndAlice();
        Ok(AddRole("more"), As("root"));
        Ok(Permit("more", Permission.Types.Type.Read, "a0", "a5"), As("root"));
        Ok(Grant("alice", "more"), As("root"));
        var auth = _t.Store.Auth;
        Assert.Null(auth.CheckRange(As("alice"), "a/x"u8.ToArray(), []));
        Assert.Null(auth.CheckRange(As("alice"), "a/"u8.ToArray(), "a5"u8.ToArray())); // two touching intervals
        Assert.NotNull(auth.CheckRange(As("alice"), "a/"u8.ToArray(), "a6"u8.ToArray()));
        Assert.NotNull(auth.CheckRange(As("alice"), "a/"u8.ToArray(), [0])); // from key: beyond every interval
        Assert.NotNull(auth.CheckPut(As("alice"), "a/x"u8.ToArray())); // read only
        Assert.Null(auth.CheckPut(As("alice"), "w"u8.ToArray()));
        Assert.NotNull(auth.CheckPut(As("alice"), "w2"u8.ToArray())); // a single key's permission is that key only
        Ok(Permit("more", Permission.Types.Type.Write, "z", "\0"), As("root"));
        Assert.Null(auth.CheckPut(As("alice"), "zzz"u8.ToArray()));
        Assert.Null(auth.CheckDeleteRange(As("alice"), "z"u8.ToArray(), [0]));
    }

    [Fact]
    public void Deleting_a_role_takes_it_from_every_user()
    {
        EnableWithRootAndAlice();
        Ok(new AuthCommand { RoleDelete = new AuthRoleDeleteRequest { Role = "reader" } }, As("root"));
        Assert.Empty(_t.Store.Auth.FindUser("alice")!.Roles);
        Assert.NotNull(_t.Store.Auth.CheckPut(As("alice"), "w"u8.ToArray()));
    }

    [Fact]
    public void Snapshot_section_round_trips_and_an_absent_section_is_auth_off()
    {
        EnableWithRootAndAlice();
        var bytes = AuthStoreSnapshot.Encode(_t.Store.Auth.State);
        var restored = new AuthStore();
        restored.Restore(new MemoryStream(bytes));
        Assert.Equal(bytes, AuthStoreSnapshot.Encode(restored.State));
        Assert.True(restored.Enabled);
        Assert.Null(restored.CheckPut(new AuthRequestHeader { Username = "alice", AuthRevision = restored.Revision }, "w"u8.ToArray()));

        var old = new AuthStore();
        old.Restore(new MemoryStream());
        Assert.False(old.Enabled);
        Assert.Empty(old.State.Users);
        Assert.Equal(1ul, old.Revision);

        var damaged = (byte[])bytes.Clone();
        damaged[20] ^= 0xff;
        Assert.Throws<InvalidDataException>(() => restored.Restore(new MemoryStream(damaged)));
        Assert.True(restored.Enabled); // untouched
    }

    [Fact]
    public void A_login_names_its_token_by_the_entrys_index_and_is_refused_for_unknown_users()
    {
        EnableWithRootAndAlice();
        var index = _t.NextIndex;
        var result = Run(new AuthCommand { Login = new AuthLogin { Name = "alice", TokenPrefix = "abc" } });
        Assert.Equal($"abc.{index}", ((AuthenticateResponse)result.Response!).Token);
        Refused(AuthErrors.AuthFailedText, new AuthCommand { Login = new AuthLogin { Name = "ghost", TokenPrefix = "abc" } });
    }
}
