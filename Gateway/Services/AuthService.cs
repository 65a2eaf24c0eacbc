using Coordinator.Gateway.Grpc;
using Etcdserverpb;
using Grpc.Core;

namespace Coordinator.Gateway.Services;

/// <summary>etcdserverpb.Auth is not served yet: every method answers UNIMPLEMENTED with a message saying so
/// (rather than the framework's bare "unimplemented").</summary>
[BindServiceMethod(typeof(AuthService), nameof(BindService))]
public sealed class AuthService : Auth.AuthBase
{
    public const string NotYetText = "coordinator: authentication is not implemented yet";

    public static void BindService(ServiceBinderBase binder, Auth.AuthBase service) => Auth.BindService(new ParsingServiceBinder(binder), service);

    private static Task<T> NotYet<T>() => Task.FromException<T>(EtcdStatus.Unimplemented(NotYetText));

    public override Task<AuthEnableResponse> AuthEnable(AuthEnableRequest request, ServerCallContext context) => NotYet<AuthEnableResponse>();
    public override Task<AuthDisableResponse> AuthDisable(AuthDisableRequest request, ServerCallContext context) => NotYet<AuthDisableResponse>();
    public override Task<AuthenticateResponse> Authenticate(AuthenticateRequest request, ServerCallContext context) => NotYet<AuthenticateResponse>();
    public override Task<AuthUserAddResponse> UserAdd(AuthUserAddRequest request, ServerCallContext context) => NotYet<AuthUserAddResponse>();
    public override Task<AuthUserGetResponse> UserGet(AuthUserGetRequest request, ServerCallContext context) => NotYet<AuthUserGetResponse>();
    public override Task<AuthUserListResponse> UserList(AuthUserListRequest request, ServerCallContext context) => NotYet<AuthUserListResponse>();
    public override Task<AuthUserDeleteResponse> UserDelete(AuthUserDeleteRequest request, ServerCallContext context) => NotYet<AuthUserDeleteResponse>();
    public override Task<AuthUserChangePasswordResponse> UserChangePassword(AuthUserChangePasswordRequest request, ServerCallContext context) => NotYet<AuthUserChangePasswordResponse>();
    public override Task<AuthUserGrantRoleResponse> UserGrantRole(AuthUserGrantRoleRequest request, ServerCallContext context) => NotYet<AuthUserGrantRoleResponse>();
    public override Task<AuthUserRevokeRoleResponse> UserRevokeRole(AuthUserRevokeRoleRequest request, ServerCallContext context) => NotYet<AuthUserRevokeRoleResponse>();
    public override Task<AuthRoleAddResponse> RoleAdd(AuthRoleAddRequest request, ServerCallContext context) => NotYet<AuthRoleAddResponse>();
    public override Task<AuthRoleGetResponse> RoleGet(AuthRoleGetRequest request, ServerCallContext context) => NotYet<AuthRoleGetResponse>();
    public override Task<AuthRoleListResponse> RoleList(AuthRoleListRequest request, ServerCallContext context) => NotYet<AuthRoleListResponse>();
    public override Task<AuthRoleDeleteResponse> RoleDelete(AuthRoleDeleteRequest request, ServerCallContext context) => NotYet<AuthRoleDeleteResponse>();
    public override Task<AuthRoleGrantPermissionResponse> RoleGrantPermission(AuthRoleGrantPermissionRequest request, ServerCallContext context) => NotYet<AuthRoleGrantPermissionResponse>();
    public override Task<AuthRoleRevokePermissionResponse> RoleRevokePermission(AuthRoleRevokePermissionRequest request, ServerCallContext context) => NotYet<AuthRoleRevokePermissionResponse>();
}
