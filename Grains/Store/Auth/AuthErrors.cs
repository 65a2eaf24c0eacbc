namespace Coordinator.Grains.Store.Auth;

/// <summary>etcd 3.4's auth errors as its v3rpc layer sends them (rpctypes: status code and text).</summary>
public static class AuthErrors
{
    public const string RootUserNotExistText = "etcdserver: root user does not exist";
    public const string RootRoleNotExistText = "etcdserver: root user does not have root role";
    public const string UserAlreadyExistText = "etcdserver: user name already exists";
    public const string UserEmptyText = "etcdserver: user name is empty";
    public const string UserNotFoundText = "etcdserver: user name not found";
    public const string RoleAlreadyExistText = "etcdserver: role name already exists";
    public const string RoleNotFoundText = "etcdserver: role name not found";
    public const string RoleEmptyText = "etcdserver: role name is empty";
    public const string AuthFailedText = "etcdserver: authentication failed, invalid user ID or password";
    public const string PermissionDeniedText = "etcdserver: permission denied";
    public const string RoleNotGrantedText = "etcdserver: role is not granted to the user";
    public const string PermissionNotGrantedText = "etcdserver: permission is not granted to the role";
    public const string AuthNotEnabledText = "etcdserver: authentication is not enabled";
    public const string InvalidAuthTokenText = "etcdserver: invalid auth token";
    public const string InvalidAuthMgmtText = "etcdserver: invalid auth management";
    public const string AuthOldRevisionText = "etcdserver: revision of auth store is old";

    public static StoreException RootUserNotExist() => new(StatusCode.FailedPrecondition, RootUserNotExistText);
    public static StoreException RootRoleNotExist() => new(StatusCode.FailedPrecondition, RootRoleNotExistText);
    public static StoreException UserAlreadyExist() => new(StatusCode.FailedPrecondition, UserAlreadyExistText);
    public static StoreException UserEmpty() => new(StatusCode.InvalidArgument, UserEmptyText);
    public static StoreException UserNotFound() => new(StatusCode.FailedPrecondition, UserNotFoundText);
    public static StoreException RoleAlreadyExist() => new(StatusCode.FailedPrecondition, RoleAlreadyExistText);
    public static StoreException RoleNotFound() => new(StatusCode.FailedPrecondition, RoleNotFoundText);
    public static StoreException RoleEmpty() => new(StatusCode.InvalidArgument, RoleEmptyText);
    public static StoreException AuthFailed() => new(StatusCode.InvalidArgument, AuthFailedText);
    public static StoreException PermissionDenied() => new(StatusCode.PermissionDenied, PermissionDeniedText);
    public static StoreException RoleNotGranted() => new(StatusCode.FailedPrecondition, RoleNotGrantedText);
    public static StoreException PermissionNotGranted() => new(StatusCode.FailedPrecondition, PermissionNotGrantedText);
    public static StoreException AuthNotEnabled() => new(StatusCode.FailedPrecondition, AuthNotEnabledText);
    public static StoreException InvalidAuthToken() => new(StatusCode.Unauthenticated, InvalidAuthTokenText);
    public static StoreException InvalidAuthMgmt() => new(StatusCode.InvalidArgument, InvalidAuthMgmtText);
    public static StoreException AuthOldRevision() => new(StatusCode.InvalidArgument, AuthOldRevisionText);
}
