using Google.Protobuf;

namespace Coordinator.Client.Transport;

/// <summary>One RPC of the etcd API: its path and whether replaying it is harmless.</summary>
/// <param name="Path">"/etcdserverpb.KV/Range" etc.</param>
/// <param name="Idempotent">True when a second execution cannot change the outcome (reads): such calls are
/// retried after any transient failure. Otherwise only failures before the request was sent are retried.</param>
internal sealed record GrpcMethod<TRequest, TResponse>(string Path, MessageParser<TResponse> ResponseParser, bool Idempotent)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>;
