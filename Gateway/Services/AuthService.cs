using Coordinator.Gateway.Auth;
using Coordinator.Gateway.Grpc;
using Coordinator.Grains.Store;
using Coordinator.Grains.Store.Auth;
using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace Coordinator.Gateway.Services;

/// <summary>
/// etcdserverpb.Auth: every call is one auth command through the log (reads too, as etcd: they are linearizable),
/// checked by the store when applied (<see cref="AuthStore"/>). Passwords are hashed here, off the Raft loop and
/// with bounded concurrency (<see cref="PasswordHasher"/>), so the log and snapshots only ever hold bcrypt hashes.
/// </summary>
[BindServiceMethod(typeof(AuthService), nameof(BindService))]
public sealed class AuthService(ICoordinatorNode node, RaftProposer proposer, ResponseHeaderFactory headers,
    PasswordHasher hasher, ITokenProvider tokens) : Etcdserverpb.Auth.AuthBase
{
    public const string NoPasswordUserText = "auth: authentication failed, password was given for no password user";
    public const string PermissionNotGivenText = "etcdserver: permission not given";

    /// <summary>Checked against for an unknown user, so that a failed login costs one bcrypt whoever it names.</summary>
    private static readonly Lazy<byte[]> DecoyHash = new(() => System.Text.Encoding.UTF8.GetBytes(BCrypt.Net.BCrypt.HashPassword("decoy", 10)));

    public static void BindService(ServiceBinderBase binder, Etcdserverpb.Auth.AuthBase service) =>
        Etcdserverpb.Auth.BindService(new ParsingServiceBinder(binder), service);

    private async Task<T> RunAsync<T>(AuthCommand command, ServerCallContext context) where T : class, IMessage<T>
    {
        var response = await proposer.ProposeAsync<T>(new RaftRequest { Auth = command }, context.CancellationToken);
        var header = (ResponseHeader?)response.Descriptor.FindFieldByName("header").Accessor.GetValue(response);
        headers.Fill(header);
        return response;
    }

    public override Task<AuthEnableResponse> AuthEnable(AuthEnableRequest request, ServerCallContext context) =>
        RunAsync<AuthEnableResponse>(new AuthCommand { Enable = request }, context);

    public override Task<AuthDisableResponse> AuthDisable(AuthDisableRequest request, ServerCallContext context) =>
        RunAsync<AuthDisableResponse>(new AuthCommand { Disable = request }, context);

    /// <summary>etcd's Authenticate: a linearizable look at the user, one bcrypt check off the loop, then a login
    /// entry; retried when the auth store changed in between (the token must name the checked state).</summary>
    public override async Task<AuthenticateResponse> Authenticate(AuthenticateRequest request, ServerCallContext context)
    {
        await node.ReadBarrierAsync(context.CancellationToken);
        var auth = node.Store.Auth;
        while (true)
        {
            var state = auth.State;
            if (!state.Enabled) throw AuthErrors.AuthNotEnabled();
            var user = state.Users.GetValueOrDefault(request.Name);
            if (user is { NoPassword: true }) throw new StoreException(StatusCode.Unknown, NoPasswordUserText);
            var matches = await hasher.VerifyAsync(request.Password, user?.PasswordHash ?? DecoyHash.Value, context.CancellationToken);
            // bcrypt compared only the first 72 bytes; no stored password is longer (AuthInputLimits).
            if (user is null || !matches || !AuthInputLimits.PasswordFits(request.Password)) throw AuthErrors.AuthFailed();
            var login = new AuthLogin { Name = request.Name, TokenPrefix = SimpleTokenProvider.NewPrefix() };
            var response = await RunAsync<AuthenticateResponse>(new AuthCommand { Login = login }, context);
            if (state.Revision != auth.Revision) continue;
            response.Token = tokens.Issue(request.Name, state.Revision, response.Token);
            return response;
        }
    }

    public override async Task<AuthUserAddResponse> UserAdd(AuthUserAddRequest request, ServerCallContext context)
    {
        if (request.Name.Length == 0) throw AuthErrors.UserEmpty();
        AuthInputLimits.CheckUserName(request.Name);
        var noPassword = request.Options?.NoPassword == true;
        if (!noPassword) AuthInputLimits.CheckNewPassword(request.Password);
        var hash = noPassword ? [] : await hasher.HashAsync(request.Password, context.CancellationToken);
        return await RunAsync<AuthUserAddResponse>(new AuthCommand
        {
            UserAdd = new AuthUserAddHashed { Name = request.Name, PasswordHash = ByteString.CopyFrom(hash), Options = request.Options },
        }, context);
    }

    public override Task<AuthUserGetResponse> UserGet(AuthUserGetRequest request, ServerCallContext context) =>
        RunAsync<AuthUserGetResponse>(new AuthCommand { UserGet = request }, context);

    public override Task<AuthUserListResponse> UserList(AuthUserListRequest request, ServerCallContext context) =>
        RunAsync<AuthUserListResponse>(new AuthCommand { UserList = request }, context);

    public override Task<AuthUserDeleteResponse> UserDelete(AuthUserDeleteRequest request, ServerCallContext context) =>
        RunAsync<AuthUserDeleteResponse>(new AuthCommand { UserDelete = request }, context);

    public override async Task<AuthUserChangePasswordResponse> UserChangePassword(AuthUserChangePasswordRequest request, ServerCallContext context)
    {
        AuthInputLimits.CheckNewPassword(request.Password);
        var hash = await hasher.HashAsync(request.Password, context.CancellationToken);
        return await RunAsync<AuthUserChangePasswordResponse>(new AuthCommand
        {
            UserChangePassword = new AuthUserChangePasswordHashed { Name = request.Name, PasswordHash = ByteString.CopyFrom(hash) },
        }, context);
    }

    public override Task<AuthUserGrantRoleResponse> UserGrantRole(AuthUserGrantRoleRequest request, ServerCallContext context) =>
        RunAsync<AuthUserGrantRoleResponse>(new AuthCommand { UserGrantRole = request }, context);

    public override Task<AuthUserRevokeRoleResponse> UserRevokeRole(AuthUserRevokeRoleRequest request, ServerCallContext context) =>
        RunAsync<AuthUserRevokeRoleResponse>(new AuthCommand { UserRevokeRole = request }, context);

    public override Task<AuthRoleAddResponse> RoleAdd(AuthRoleAddRequest request, ServerCallContext context)
    {
        AuthInputLimits.CheckRoleName(request.Name);
        return RunAsync<AuthRoleAddResponse>(new AuthCommand { RoleAdd = request }, context);
    }

    public override Task<AuthRoleGetResponse> RoleGet(AuthRoleGetRequest request, ServerCallContext context) =>
        RunAsync<AuthRoleGetResponse>(new AuthCommand { RoleGet = request }, context);

    public override Task<AuthRoleListResponse> RoleList(AuthRoleListRequest request, ServerCallContext context) =>
        RunAsync<AuthRoleListResponse>(new AuthCommand { RoleList = request }, context);

    public override Task<AuthRoleDeleteResponse> RoleDelete(AuthRoleDeleteRequest request, ServerCallContext context) =>
        RunAsync<AuthRoleDeleteResponse>(new AuthCommand { RoleDelete = request }, context);

    /// <summary>A permission must be given and its range must not end before it starts (etcd 3.5's checks: 3.4
    /// stores such a permission, which then matches nothing).</summary>
    public override Task<AuthRoleGrantPermissionResponse> RoleGrantPermission(AuthRoleGrantPermissionRequest request, ServerCallContext context)
    {
        if (request.Perm is null) throw new StoreException(StatusCode.InvalidArgument, PermissionNotGivenText);
        var end = request.Perm.RangeEnd;
        if (end.Length > 0 && !(end.Length == 1 && end[0] == 0) && ByteKeyComparer.CompareKeys(request.Perm.Key.Span, end.Span) >= 0)
            throw AuthErrors.InvalidAuthMgmt();
        return RunAsync<AuthRoleGrantPermissionResponse>(new AuthCommand { RoleGrantPermission = request }, context);
    }

    public override Task<AuthRoleRevokePermissionResponse> RoleRevokePermission(AuthRoleRevokePermissionRequest request, ServerCallContext context) =>
        RunAsync<AuthRoleRevokePermissionResponse>(new AuthCommand { RoleRevokePermission = request }, context);
}
