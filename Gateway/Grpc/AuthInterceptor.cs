using Coordinator.Gateway.Auth;
using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Coordinator.Gateway.Grpc;

/// <summary>
/// The one place where every call meets etcd 3.4's authentication (a singleton, inside
/// <see cref="EtcdStatusInterceptor"/> so its refusals get etcd's statuses). Per method, as etcd's servers do:
/// <list type="bullet">
/// <item>Range: read permission on its range, checked here; refused afterwards if the auth store changed meanwhile;</item>
/// <item>everything that goes through the log (Put, DeleteRange, Txn, Compact, LeaseGrant/Revoke, Alarm, Auth,
/// Lock, Election): the caller is stamped on the entry (<see cref="CallAuth"/>) and the store checks it when it
/// applies it (a read-only Txn is checked the same way off the log); the reads of Lock and Election are checked
/// as Ranges by the caller;</item>
/// <item>member changes and the maintenance calls etcd guards (Defragment, Snapshot, Hash, HashKV, Status,
/// MoveLeader; not Status): role root, refused as etcd 3.4's maintenance server does (UNKNOWN, "auth: ...");</item>
/// <item>Watch: each create is checked by the Watch service with <see cref="AuthGate"/> (a refusal cancels that
/// watch, not the stream);</item>
/// <item>LeaseKeepAlive, LeaseTimeToLive, LeaseLeases, MemberList, health, reflection: no check, token ignored.</item>
/// </list>
/// </summary>
public sealed class AuthInterceptor(AuthGate gate) : Interceptor
{
    // Raw*: etcd 3.4's maintenance server returns the auth error unmapped: status UNKNOWN, text "auth: ...".
    // Recipe: etcd 3.4's lock and election servers meet the token only in their in-process client's KV calls and
    // return its error without a status: UNKNOWN, text "etcdserver: ..." (see RecipeErrors).
    private enum Policy { None, Identify, Admin, Range, RawIdentify, RawAdmin, Recipe }

    private static readonly Dictionary<string, Policy> Policies = new(StringComparer.Ordinal)
    {
        ["/etcdserverpb.KV/Range"] = Policy.Range,
        ["/etcdserverpb.KV/Put"] = Policy.Identify,
        ["/etcdserverpb.KV/DeleteRange"] = Policy.Identify,
        ["/etcdserverpb.KV/Txn"] = Policy.Identify,
        ["/etcdserverpb.KV/Compact"] = Policy.Identify,
        ["/etcdserverpb.Lease/LeaseGrant"] = Policy.Identify,
        ["/etcdserverpb.Lease/LeaseRevoke"] = Policy.Identify,
        ["/etcdserverpb.Cluster/MemberAdd"] = Policy.Admin,
        ["/etcdserverpb.Cluster/MemberRemove"] = Policy.Admin,
        ["/etcdserverpb.Cluster/MemberUpdate"] = Policy.Admin,
        ["/etcdserverpb.Cluster/MemberPromote"] = Policy.Admin,
        ["/etcdserverpb.Maintenance/Alarm"] = Policy.RawIdentify,
        ["/etcdserverpb.Maintenance/Defragment"] = Policy.RawAdmin,
        ["/etcdserverpb.Maintenance/Snapshot"] = Policy.RawAdmin,
        ["/etcdserverpb.Maintenance/Hash"] = Policy.RawAdmin,
        ["/etcdserverpb.Maintenance/HashKV"] = Policy.RawAdmin,
        ["/etcdserverpb.Maintenance/MoveLeader"] = Policy.RawAdmin,
    };

    private static Policy PolicyOf(string method) =>
        Policies.TryGetValue(method, out var policy) ? policy
        : method.StartsWith("/etcdserverpb.Auth/", StringComparison.Ordinal) ? Policy.Identify
        : method.StartsWith("/v3lockpb.", StringComparison.Ordinal) || method.StartsWith("/v3electionpb.", StringComparison.Ordinal) ? Policy.Recipe
        : Policy.None;

    /// <summary>Nothing to do: auth is off and the call names nobody (a token would still have to be valid).</summary>
    private bool Bypass(ServerCallContext context, out Policy policy)
    {
        policy = PolicyOf(context.Method);
        return policy == Policy.None || (!gate.Store.Enabled && context.RequestHeaders.GetValue("token") is null
                                         && context.RequestHeaders.GetValue("authorization") is null);
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation) =>
        Bypass(context, out var policy) ? continuation(request, context) : GuardedUnaryAsync(request, context, continuation, policy);

    private async Task<TResponse> GuardedUnaryAsync<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation, Policy policy)
        where TRequest : class where TResponse : class
    {
        var who = await AdmitAsync(context, policy, request);
        CallAuth.Current = who;
        var response = await continuation(request, context);
        if (policy == Policy.Range) gate.CheckRevisionUnchanged(who);
        return response;
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (!Bypass(context, out var policy))
        {
            try { CallAuth.Current = await AdmitAsync(context, policy, request); }
            // Election/Observe, the one streaming recipe: etcd's ends with OK, sending nothing, when its first
            // read is refused (an unknown token included).
            catch (Grains.Store.StoreException) when (policy == Policy.Recipe) { return; }
        }
        await continuation(request, responseStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (!Bypass(context, out var policy)) CallAuth.Current = await AdmitAsync(context, policy, null);
        await continuation(requestStream, responseStream, context);
    }

    private async ValueTask<AuthRequestHeader?> AdmitAsync(ServerCallContext context, Policy policy, object? request)
    {
        if (policy is Policy.RawIdentify or Policy.RawAdmin)
        {
            try { return await AdmitAsync(context, policy == Policy.RawAdmin ? Policy.Admin : Policy.Identify, request); }
            catch (Grains.Store.StoreException e)
            {
                throw new Grains.Store.StoreException(StatusCode.Unknown, "auth: " + e.Message.Replace("etcdserver: ", "", StringComparison.Ordinal));
            }
        }
        if (policy == Policy.Recipe)
        {
            try { return await gate.IdentifyAsync(context); }
            catch (Grains.Store.StoreException e) { throw new Grains.Store.StoreException(StatusCode.Unknown, e.Message); }
        }
        var who = await gate.IdentifyAsync(context);
        switch (policy)
        {
            case Policy.Admin:
                AuthGate.ThrowIf(gate.Store.CheckAdmin(who));
                break;
            case Policy.Range when request is RangeRequest range:
                gate.Kv.Validator.ValidateRange(range); // etcd refuses a malformed request before it looks at the user
                AuthGate.ThrowIf(gate.Store.CheckRange(who, range.Key.ToByteArray(), range.RangeEnd.ToByteArray()));
                break;
        }
        return who;
    }
}
