using Coordinator.Grains.Store;
using Grpc.Core;

namespace Coordinator.Gateway.Services.Concurrency;

/// <summary>
/// Errors of the Lock and Election services as etcd 3.4 sends them. Its v3lock and v3election servers run the
/// clientv3/concurrency recipes over an in-process client and return the recipes' errors as they are: plain Go
/// errors, and the client's <c>rpctypes.EtcdError</c> for a refused KV request, neither of which carries a gRPC
/// status. gRPC therefore sends every one of them as UNKNOWN with the error's text (checked against etcd 3.4.23:
/// an unknown lease, "election: not leader" and "election: no leader" all arrive with code 2).
/// </summary>
internal static class RecipeErrors
{
    public const string NotLeaderText = "election: not leader";
    public const string NoLeaderText = "election: no leader";
    public const string MissingLeaderKeyText = "\"leader\" field must be provided";
    /// <summary>clientv3/concurrency's ErrSessionExpired (etcd 3.5's Mutex returns it when its key is gone).</summary>
    public const string SessionExpiredText = "session: session is expired";

    public static RpcException NotLeader() => Unknown(NotLeaderText);
    public static RpcException NoLeader() => Unknown(NoLeaderText);
    public static RpcException MissingLeaderKey() => Unknown(MissingLeaderKeyText);
    public static RpcException SessionExpired() => Unknown(SessionExpiredText);

    /// <summary>A store refusal (unknown lease, empty key, ...) as the recipe's caller sees it.</summary>
    public static RpcException FromStore(StoreException refusal) => Unknown(refusal.Message);

    private static RpcException Unknown(string text) => new(new Status(StatusCode.Unknown, text));
}
