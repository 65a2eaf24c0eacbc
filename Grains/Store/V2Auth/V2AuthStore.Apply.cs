using Coordinator.Protocol.Internal;

namespace Coordinator.Grains.Store.V2Auth;

public sealed partial class V2AuthStore
{
    /// <summary>Applies one committed command with etcd's checks and texts, in etcd's order. Throws
    /// <see cref="V2AuthError"/> with nothing changed.</summary>
    public V2AuthResult Apply(V2AuthCommand command)
    {
        var state = _state;
        var (next, result) = command.CommandCase switch
        {
            V2AuthCommand.CommandOneofCase.Enable => Enable(state),
            V2AuthCommand.CommandOneofCase.Disable => state.Enabled
                ? (state with { Enabled = false }, V2AuthResult.None)
                : throw new V2AuthError(409, "already disabled"),
            V2AuthCommand.CommandOneofCase.UserCreate => CreateUser(state, command.UserCreate),
            V2AuthCommand.CommandOneofCase.UserUpdate => UpdateUser(state, command.UserUpdate.Name, command.UserUpdate.PasswordHash,
                command.UserUpdate.Grant, command.UserUpdate.Revoke),
            V2AuthCommand.CommandOneofCase.UserDelete => DeleteUser(state, command.UserDelete.Name),
            V2AuthCommand.CommandOneofCase.RoleCreate => CreateRole(state, command.RoleCreate),
            V2AuthCommand.CommandOneofCase.RoleUpdate => UpdateRole(state, command.RoleUpdate),
            V2AuthCommand.CommandOneofCase.RoleDelete => DeleteRole(state, command.RoleDelete.Name),
            _ => throw new V2AuthError(400, "unknown command"),
        };
        _state = next;
        return result;
    }

    private static (V2AuthState, V2AuthResult) Enable(V2AuthState state)
    {
        if (state.Enabled) throw new V2AuthError(409, "already enabled");
        if (!state.Users.ContainsKey(RootName)) throw new V2AuthError(409, "No root user available, please create one");
        var roles = state.Roles.ContainsKey(GuestName) ? state.Roles : state.Roles.Add(GuestName, V2AuthRole.Guest);
        return (state with { Enabled = true, Roles = roles }, V2AuthResult.None);
    }

    /// <summary>etcd's CreateUser, or with or_update its CreateOrUpdateUser (an existing user gets the password).</summary>
    private static (V2AuthState, V2AuthResult) CreateUser(V2AuthState state, V2AuthUserCreate c)
    {
        if (c.OrUpdate && state.Users.ContainsKey(c.Name)) return UpdateUser(state, c.Name, c.PasswordHash, [], []);
        var user = new V2AuthUser(c.Name, c.PasswordHash, c.Roles?.Values.ToArray());
        if (c.Name == RootName) user = user.WithRootRole();
        if (c.PasswordHash.Length == 0) throw new V2AuthError(400, $"Cannot create user {c.Name} with an empty password");
        if (state.Users.ContainsKey(c.Name)) throw new V2AuthError(409, $"User {c.Name} already exists.");
        return (state with { Users = state.Users.Add(c.Name, user) }, new V2AuthResult(User: user, Created: c.OrUpdate));
    }

    /// <summary>etcd's UpdateUser and User.merge: grants must be new, revokes must be held; the result's roles are
    /// sorted; a change that changes nothing is refused. (A missing user gets getUser's "does not exist.": etcd's
    /// own "doesn't exist." branch is never reached.)</summary>
    private static (V2AuthState, V2AuthResult) UpdateUser(V2AuthState state, string name, string passwordHash,
        IEnumerable<string> grant, IEnumerable<string> revoke)
    {
        if (!state.Users.TryGetValue(name, out var stored)) throw new V2AuthError(404, $"User {name} does not exist.");
        var old = stored.WithRootRole();
        var roles = new HashSet<string>(old.Roles ?? [], StringComparer.Ordinal);
        foreach (var g in grant)
            if (!roles.Add(g)) throw new V2AuthError(409, $"Granting duplicate role {g} for user {name}");
        foreach (var r in revoke)
            if (!roles.Remove(r)) throw new V2AuthError(409, $"Revoking ungranted role {r} for user {name}");
        var updated = new V2AuthUser(name, passwordHash.Length > 0 ? passwordHash : old.PasswordHash, V2AuthLists.SortedSet(roles));
        if (old.SameAs(updated)) throw new V2AuthError(400, "User not updated. Use grant/revoke/password to update the user.");
        return (state with { Users = state.Users.SetItem(name, updated) }, new V2AuthResult(User: updated));
    }

    private static (V2AuthState, V2AuthResult) DeleteUser(V2AuthState state, string name)
    {
        if (state.Enabled && name == RootName) throw new V2AuthError(403, "Cannot delete root user while auth is enabled.");
        if (!state.Users.ContainsKey(name)) throw new V2AuthError(404, $"User {name} does not exist");
        return (state with { Users = state.Users.Remove(name) }, V2AuthResult.None);
    }

    private static (V2AuthState, V2AuthResult) CreateRole(V2AuthState state, V2AuthRoleCreate c)
    {
        if (c.Name == RootName) throw new V2AuthError(403, $"Cannot modify role {c.Name}: is root role.");
        if (state.Roles.ContainsKey(c.Name)) throw new V2AuthError(409, $"Role {c.Name} already exists.");
        var role = new V2AuthRole(c.Name, c.Read?.Values.ToArray(), c.Write?.Values.ToArray());
        return (state with { Roles = state.Roles.Add(c.Name, role) }, new V2AuthResult(Role: role));
    }

    /// <summary>etcd's UpdateRole and Role.merge: granted patterns must be new (revoking one not held is no
    /// error); both lists come out sorted and distinct; a change that changes nothing is refused.</summary>
    private static (V2AuthState, V2AuthResult) UpdateRole(V2AuthState state, V2AuthRoleUpdate u)
    {
        if (u.Name == RootName) throw new V2AuthError(403, $"Cannot modify role {u.Name}: is root role.");
        if (!state.Roles.TryGetValue(u.Name, out var old)) throw new V2AuthError(404, $"Role {u.Name} does not exist.");
        var read = new HashSet<string>(old.Read ?? [], StringComparer.Ordinal);
        foreach (var p in u.GrantRead)
            if (!read.Add(p)) throw new V2AuthError(409, $"Granting duplicate read permission {p}");
        var write = new HashSet<string>(old.Write ?? [], StringComparer.Ordinal);
        foreach (var p in u.GrantWrite)
            if (!write.Add(p)) throw new V2AuthError(409, $"Granting duplicate write permission {p}");
        read.ExceptWith(u.RevokeRead);
        write.ExceptWith(u.RevokeWrite);
        var updated = new V2AuthRole(u.Name, V2AuthLists.SortedSet(read), V2AuthLists.SortedSet(write));
        if (old.SameAs(updated)) throw new V2AuthError(400, "Role not updated. Use grant/revoke to update the role.");
        return (state with { Roles = state.Roles.SetItem(u.Name, updated) }, new V2AuthResult(Role: updated));
    }

    private static (V2AuthState, V2AuthResult) DeleteRole(V2AuthState state, string name)
    {
        if (name == RootName) throw new V2AuthError(403, $"Cannot modify role {name}: is root role.");
        if (!state.Roles.ContainsKey(name)) throw new V2AuthError(404, $"Role {name} doesn't exist.");
        return (state with { Roles = state.Roles.Remove(name) }, V2AuthResult.None);
    }
}
