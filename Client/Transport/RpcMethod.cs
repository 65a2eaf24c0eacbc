using Grpc.Core;

namespace Coordinator.Client.Transport;

/// <summary>One unary RPC of the etcd API: its name, whether replaying it is harmless, and how to start it.</summary>
/// <param name="Name">"/etcdserverpb.KV/Range" etc. (for logs and metrics).</param>
/// <param name="ReadOnly">True when a second execution cannot change the outcome (reads): retried after an
/// UNAVAILABLE on another member. Otherwise retried only when the request cannot have reached a server.</param>
internal sealed record RpcMethod<TRequest, TResponse>(
    string Name, bool ReadOnly, Func<EtcdClients, TRequest, CallOptions, AsyncUnaryCall<TResponse>> Start);
