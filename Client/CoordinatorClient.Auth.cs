using Authpb;
using Coordinator.Client.Transport;
using Etcdserverpb;

namespace Coordinator.Client;

/// <summary>etcd's Auth API. To call as a user, set <see cref="CoordinatorClientOptions.Username"/> and
/// <see cref="CoordinatorClientOptions.Password"/>: tokens are then fetched and renewed by the client.</summary>
public sealed partial class CoordinatorClient
{
    public Task<AuthEnableResponse> AuthEnableAsync(CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.AuthEnable, new AuthEnableRequest(), ct);

    public Task<AuthDisableResponse> AuthDisableAsync(CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.AuthDisable, new AuthDisableRequest(), ct);

    public Task<AuthUserAddResponse> UserAddAsync(string name, string password, CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.UserAdd, new AuthUserAddRequest { Name = name, Password = password }, ct);

    public Task<AuthUserDeleteResponse> UserDeleteAsync(string name, CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.UserDelete, new AuthUserDeleteRequest { Name = name }, ct);

    public Task<AuthUserChangePasswordResponse> UserChangePasswordAsync(string name, string password, CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.UserChangePassword, new AuthUserChangePasswordRequest { Name = name, Password = password }, ct);

    public Task<AuthUserGrantRoleResponse> UserGrantRoleAsync(string user, string role, CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.UserGrantRole, new AuthUserGrantRoleRequest { User = user, Role = role }, ct);

    public Task<AuthUserGetResponse> UserGetAsync(string name, CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.UserGet, new AuthUserGetRequest { Name = name }, ct);

    public Task<AuthUserListResponse> UserListAsync(CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.UserList, new AuthUserListRequest(), ct);

    public Task<AuthRoleAddResponse> RoleAddAsync(string name, CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.RoleAdd, new AuthRoleAddRequest { Name = name }, ct);

    public Task<AuthRoleGetResponse> RoleGetAsync(string name, CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.RoleGet, new AuthRoleGetRequest { Role = name }, ct);

    /// <summary>Grants <paramref name="type"/> on <paramref name="range"/> (a key, a prefix, or from a key).</summary>
    public Task<AuthRoleGrantPermissionResponse> RoleGrantPermissionAsync(string role, KeyRange range, Permission.Types.Type type,
        CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.RoleGrantPermission, new AuthRoleGrantPermissionRequest
        {
            Name = role,
            Perm = new Permission { PermType = type, Key = range.Key, RangeEnd = range.RangeEnd },
        }, ct);
}
