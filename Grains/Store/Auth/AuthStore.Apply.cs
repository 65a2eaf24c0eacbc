using Authpb;
using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Google.Protobuf;
using C = Coordinator.Protocol.Internal.AuthCommand.CommandOneofCase;

namespace Coordinator.Grains.Store.Auth;

public sealed partial class AuthStore
{
    /// <summary>Applies one auth command as etcd's authApplierV3 does: admin commands need root (when auth is on),
    /// UserGet is allowed for oneself and RoleGet for one's own roles. Throws <see cref="StoreException"/> on a
    /// refusal; a refused command changes nothing. Responses carry an empty header (the gateway fills it).</summary>
    public IMessage Apply(AuthCommand command, AuthRequestHeader? who, ulong raftIndex)
    {
        if (NeedsAdmin(command.CommandCase) && CheckAdmin(who) is { } denied) throw denied;
        var s = _state;
        switch (command.CommandCase)
        {
            case C.Enable:
                if (s.Enabled) return new AuthEnableResponse { Header = new() };
                if (!s.Users.TryGetValue(RootUser, out var root)) throw AuthErrors.RootUserNotExist();
                if (!root.HasRole(RootRole)) throw AuthErrors.RootRoleNotExist();
                Publish(s.With(enabled: true, bumpRevision: false));
                return new AuthEnableResponse { Header = new() };
            case C.Disable:
                if (s.Enabled)
                {
                    Publish(s.With(enabled: false));
                    Tell(o => o.AllInvalidated());
                }
                return new AuthDisableResponse { Header = new() };
            case C.Login:
                return Login(s, command.Login, raftIndex);
            case C.UserAdd:
                return UserAdd(s, command.UserAdd);
            case C.UserGet:
            {
                if (CheckAdmin(who) is { } e && command.UserGet.Name != who?.Username) throw e;
                var user = s.Users.GetValueOrDefault(command.UserGet.Name) ?? throw AuthErrors.UserNotFound();
                return new AuthUserGetResponse { Header = new(), Roles = { user.Roles } };
            }
            case C.UserList:
                return new AuthUserListResponse { Header = new(), Users = { s.Users.Keys } };
            case C.UserDelete:
            {
                var name = command.UserDelete.Name;
                if (s.Enabled && name == RootUser) throw AuthErrors.InvalidAuthMgmt();
                if (!s.Users.ContainsKey(name)) throw AuthErrors.UserNotFound();
                Publish(s.With(users: s.Users.Remove(name)));
                Tell(o => o.UserInvalidated(name));
                return new AuthUserDeleteResponse { Header = new() };
            }
            case C.UserChangePassword:
            {
                var change = command.UserChangePassword;
                var user = s.Users.GetValueOrDefault(change.Name) ?? throw AuthErrors.UserNotFound();
                Publish(s.With(users: s.Users.SetItem(user.Name, user with { PasswordHash = change.PasswordHash.ToByteArray() })));
                Tell(o => o.UserInvalidated(user.Name));
                return new AuthUserChangePasswordResponse { Header = new() };
            }
            case C.UserGrantRole:
            {
                var grant = command.UserGrantRole;
                var user = s.Users.GetValueOrDefault(grant.User) ?? throw AuthErrors.UserNotFound();
                if (grant.Role != RootRole && !s.Roles.ContainsKey(grant.Role)) throw AuthErrors.RoleNotFound();
                if (user.HasRole(grant.Role)) return new AuthUserGrantRoleResponse { Header = new() };
                var roles = user.Roles.Append(grant.Role).Order(StringComparer.Ordinal).ToArray();
                Publish(s.With(users: s.Users.SetItem(user.Name, user with { Roles = roles })));
                return new AuthUserGrantRoleResponse { Header = new() };
            }
            case C.UserRevokeRole:
            {
                var revoke = command.UserRevokeRole;
                if (s.Enabled && revoke.Name == RootUser && revoke.Role == RootRole) throw AuthErrors.InvalidAuthMgmt();
                var user = s.Users.GetValueOrDefault(revoke.Name) ?? throw AuthErrors.UserNotFound();
                if (!user.HasRole(revoke.Role)) throw AuthErrors.RoleNotGranted();
                var roles = user.Roles.Where(r => r != revoke.Role).ToArray();
                Publish(s.With(users: s.Users.SetItem(user.Name, user with { Roles = roles })));
                return new AuthUserRevokeRoleResponse { Header = new() };
            }
            case C.RoleAdd:
            {
                var name = command.RoleAdd.Name;
                if (name.Length == 0) throw AuthErrors.RoleEmpty();
                if (s.Roles.ContainsKey(name)) throw AuthErrors.RoleAlreadyExist();
                Publish(s.With(roles: s.Roles.Add(name, new AuthRole(name, []))));
                return new AuthRoleAddResponse { Header = new() };
            }
            case C.RoleGet:
            {
                var name = command.RoleGet.Role;
                if (CheckAdmin(who) is { } e && !HasRole(who?.Username ?? "", name)) throw e;
                var role = s.Roles.GetValueOrDefault(name) ?? throw AuthErrors.RoleNotFound();
                return new AuthRoleGetResponse { Header = new(), Perm = { role.Permissions.Select(p => p.Clone()) } };
            }
            case C.RoleList:
                return new AuthRoleListResponse { Header = new(), Roles = { s.Roles.Keys } };
            case C.RoleDelete:
            {
                var name = command.RoleDelete.Role;
                if (s.Enabled && name == RootRole) throw AuthErrors.InvalidAuthMgmt();
                if (!s.Roles.ContainsKey(name)) throw AuthErrors.RoleNotFound();
                var users = s.Users;
                foreach (var user in s.Users.Values.Where(u => u.HasRole(name)))
                    users = users.SetItem(user.Name, user with { Roles = user.Roles.Where(r => r != name).ToArray() });
                Publish(s.With(users: users, roles: s.Roles.Remove(name)));
                return new AuthRoleDeleteResponse { Header = new() };
            }
            case C.RoleGrantPermission:
                return GrantPermission(s, command.RoleGrantPermission);
            case C.RoleRevokePermission:
            {
                var revoke = command.RoleRevokePermission;
                var role = s.Roles.GetValueOrDefault(revoke.Role) ?? throw AuthErrors.RoleNotFound();
                var kept = role.Permissions.Where(p => p.Key != revoke.Key || p.RangeEnd != revoke.RangeEnd).ToArray();
                if (kept.Length == role.Permissions.Count) throw AuthErrors.PermissionNotGranted();
                Publish(s.With(roles: s.Roles.SetItem(role.Name, role with { Permissions = kept })));
                return new AuthRoleRevokePermissionResponse { Header = new() };
            }
            default:
                throw new StoreException(StatusCode.InvalidArgument, "etcdserver: unknown auth command");
        }
    }

    private static bool NeedsAdmin(C command) => command is not (C.Login or C.UserGet or C.RoleGet or C.None);

    private IMessage Login(AuthState s, AuthLogin login, ulong raftIndex)
    {
        var token = $"{login.TokenPrefix}.{raftIndex}";
        if (!s.Enabled) throw AuthErrors.AuthNotEnabled();
        var user = s.Users.GetValueOrDefault(login.Name);
        if (user is null || user.NoPassword) throw AuthErrors.AuthFailed();
        Tell(o => o.TokenIssued(token, user.Name));
        return new AuthenticateResponse { Header = new(), Token = token };
    }

    private IMessage UserAdd(AuthState s, AuthUserAddHashed add)
    {
        if (add.Name.Length == 0) throw AuthErrors.UserEmpty();
        if (s.Users.ContainsKey(add.Name)) throw AuthErrors.UserAlreadyExist();
        var noPassword = add.Options?.NoPassword == true;
        var user = new AuthUser(add.Name, noPassword ? [] : add.PasswordHash.ToByteArray(), [], noPassword);
        Publish(s.With(users: s.Users.Add(user.Name, user)));
        return new AuthUserAddResponse { Header = new() };
    }

    /// <summary>etcd replaces the type of a permission with the same key and end, else inserts in key order.</summary>
    private IMessage GrantPermission(AuthState s, AuthRoleGrantPermissionRequest grant)
    {
        var role = s.Roles.GetValueOrDefault(grant.Name) ?? throw AuthErrors.RoleNotFound();
        var perm = grant.Perm ?? new Permission();
        var permissions = role.Permissions.Select(p => p.Clone()).ToList();
        var same = permissions.FindIndex(p => p.Key == perm.Key && p.RangeEnd == perm.RangeEnd);
        if (same >= 0) permissions[same].PermType = perm.PermType;
        else
        {
            permissions.Add(new Permission { Key = perm.Key, RangeEnd = perm.RangeEnd, PermType = perm.PermType });
            permissions = permissions.OrderBy(p => p.Key.ToByteArray(), ByteKeyComparer.Instance).ToList();
        }
        Publish(s.With(roles: s.Roles.SetItem(role.Name, role with { Permissions = permissions })));
        return new AuthRoleGrantPermissionResponse { Header = new() };
    }
}
